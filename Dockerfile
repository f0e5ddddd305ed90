# The Claimledger image: the API, the projector and the migrations share it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    CLAIMLEDGER_DATA_DIR=/var/lib/claimledger \
    PATH=/opt/venv/bin:$PATH

RUN pip install --no-cache-dir uv==0.13.9 \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin claimledger \
    && install -d -o claimledger -m 0700 /var/lib/claimledger

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY alembic.ini ./
COPY domain ./domain
COPY infra ./infra
COPY service ./service
COPY client ./client
RUN uv sync --frozen --no-dev

USER claimledger
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["claimledger", "serve", "--host", "0.0.0.0", "--port", "8000"]
