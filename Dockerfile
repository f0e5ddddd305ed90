# The Claimledger image: the API, the projector and the migrations share it.
# Two stages: uv installs the locked dependencies and the project (as a wheel, without the
# embedded PostgreSQL extra) into /opt/venv; the image takes only that environment, on a
# slim Python, with no uv, compiler or package cache.
FROM python:3.11-slim AS build

ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY domain ./domain
COPY infra ./infra
COPY service ./service
COPY client ./client
RUN uv sync --frozen --no-dev --no-editable

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CLAIMLEDGER_DATA_DIR=/var/lib/claimledger \
    PATH=/opt/venv/bin:$PATH

RUN useradd --system --home-dir /app --shell /usr/sbin/nologin claimledger \
    && install -d -o claimledger -m 0700 /var/lib/claimledger
COPY --from=build /opt/venv /opt/venv
WORKDIR /app

USER claimledger
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=2)"]
CMD ["claimledger", "serve", "--host", "0.0.0.0", "--port", "8000"]
