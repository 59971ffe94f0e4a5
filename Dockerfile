# spasmbot in a container: `docker compose up` with compose.yaml (PostgreSQL 15 beside it).
# Stage 1 builds the wheels (the project's and its dependencies'); stage 2 installs only
# those, runs as a user without privileges, and asks /readyz whether it is ready.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY content ./content
COPY alembic ./alembic
COPY alembic.ini ./
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --create-home --home-dir /home/spasmbot spasmbot
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels spasmbot && rm -rf /wheels
USER spasmbot
WORKDIR /home/spasmbot
# Inside the container the bot listens on every interface; compose publishes the ports
# on the host's 127.0.0.1 only (the reverse proxy is in front of the webhook).
ENV WEBHOOK_LISTEN=0.0.0.0 \
    HEALTH_LISTEN=0.0.0.0 \
    PYTHONUNBUFFERED=1
EXPOSE 8443 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9090/readyz', timeout=4)"
CMD ["spasmbot", "run"]
