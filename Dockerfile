# Gröna nyckeltal in a container: the dashboard started the way `make run` starts it, with the
# database on a volume. Not built in CI (no base image can be pulled on the build machine).
#
#   docker build -t gronanyckeltal .                        # --build-arg WITH_CHROMIUM=1: Debian chromium for PNG export
#   docker run -d -p 8501:8501 -v gn-data:/data --name gn gronanyckeltal
#   docker exec gn python -m indicators kolada              # the Kolada import, into the same volume
#
# GN_DB points at the volume; a missing database is created with the reference data (GN_DEMO=1: with
# the labelled demo data instead, like `make run`). Mount .streamlit/secrets.toml read-only for SSO.
FROM python:3.11-slim

ARG WITH_CHROMIUM=0
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GN_DB=/data/gronanyckeltal.duckdb PORT=8501

RUN if [ "$WITH_CHROMIUM" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
RUN useradd --create-home --uid 10001 gn && mkdir -p /data && chown gn /data
USER gn
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/_stcore/health', timeout=4)"
CMD ["sh", "-c", "[ -f \"$GN_DB\" ] || python -m indicators init ${GN_DEMO:+--demo}; exec python -m streamlit run app.py --server.address 0.0.0.0 --server.port \"$PORT\""]
