# A from-scratch image that holds one static file; built for two platforms on the Images page.
FROM scratch
COPY site/ /srv/www/
LABEL org.opencontainers.image.title="hello-static"
