"""Container states and the commands or events that move a container between them."""

from diagrams.programming.flowchart import Action, Decision, Delay, StartEnd

from house_style import figure, flow

with figure("Container lifecycle states", direction="TB"):
    image = StartEnd("image")
    created = Action("created")
    running = Action("running")
    paused = Delay("paused")
    exited = Action("exited\n(stopped)")
    policy = Decision("restart\npolicy?")
    removed = StartEnd("removed")

    image >> flow("create") >> created
    created >> flow("start", accent=True) >> running
    running >> flow("pause") >> paused
    paused >> flow("unpause") >> running
    running >> flow("exit, stop, kill") >> exited
    exited >> flow() >> policy
    policy >> flow("restart") >> running
    exited >> flow("rm") >> removed
    exited >> flow("start") >> running
