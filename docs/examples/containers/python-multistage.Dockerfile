# syntax=docker/dockerfile:1
# A Python web app: dependencies are installed into a virtual environment in a
# build stage, and only that environment and the code reach the final image.
#   docker build -f python-multistage.Dockerfile -t hello-py:dev python-app/
# Optional private index, passed as a secret so it never lands in a layer:
#   docker build --secret id=pip_index_url,env=PIP_INDEX_URL ...
ARG PYTHON_IMAGE=python:3.14-slim-trixie

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:${PATH}"
COPY requirements.txt /tmp/requirements.txt
# The cache mount keeps pip's download cache between builds without storing it in the image.
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=pip_index_url,env=PIP_INDEX_URL \
    pip install --require-hashes -r /tmp/requirements.txt

FROM ${PYTHON_IMAGE}
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
# A dedicated system user with a fixed UID, so file ownership and policies can refer to it.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Code stays owned by root: the app user can read it but not modify it.
COPY app.py .
USER 10001:10001
EXPOSE 8000
# Exec form: gunicorn is PID 1 and receives SIGTERM directly.
ENTRYPOINT ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "--graceful-timeout", "20", "app:application"]
