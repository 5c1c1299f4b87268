"""Canary control-plane upgrade with Istio revisions: namespaces name a tag, the tag points at a revision, and moving the tag moves the namespaces."""

from diagrams.onprem.network import Istio

from house_style import box, figure, group, main_path, reference

with figure("Revisions and revision tags in an Istio upgrade"):
    with group("namespaces (label istio.io/rev)"):
        shop = box("shop\nrev: prod-stable")
        staging = box("staging\nrev: prod-canary")
    with group("revision tags"):
        stable = box("prod-stable")
        canary = box("prod-canary")
    with group("istio-system"):
        old = Istio("istiod-1-30")
        new = Istio("istiod-1-31")

    shop >> reference("names") >> stable
    staging >> reference("names") >> canary
    stable >> reference("points at") >> old
    canary >> main_path("points at") >> new
