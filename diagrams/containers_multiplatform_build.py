"""Two ways to build an arm64 image on an amd64 machine: run the build stage under QEMU emulation, or run it natively and cross-compile."""

from house_style import box, figure, group, main_path, request

with figure("Emulation and cross-compilation in a multi-platform build", direction="TB"):
    with group("amd64 builder: emulation"):
        emu_stage = box("build stage: FROM golang\n(arm64 image)")
        qemu = box("QEMU user-mode\nevery RUN step, slow")
    with group("amd64 builder: cross-compilation"):
        native_stage = box("build stage: FROM --platform=\n$BUILDPLATFORM golang (amd64)")
        compiler = box("go build with\nGOOS=$TARGETOS GOARCH=$TARGETARCH")
    final = box("final stage: distroless\n(arm64 base) + /hello")

    emu_stage >> request("runs under") >> qemu
    qemu >> request("arm64 binary") >> final
    native_stage >> main_path("runs natively") >> compiler
    compiler >> main_path("arm64 binary") >> final
