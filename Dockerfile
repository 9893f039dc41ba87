# Larder's image: one image, three roles (`larder serve --web-only`, `larder worker`,
# `larder beat`), chosen by the container's command. See docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LARDER_DATA_DIR=/data \
    LARDER_BIND=0.0.0.0:8000

RUN useradd --system --create-home --home-dir /home/larder larder \
    && mkdir -p /data \
    && chown larder:larder /data

WORKDIR /app
COPY pyproject.toml README.md manage.py ./
COPY repository ./repository
COPY formats ./formats
COPY templates ./templates
COPY static ./static
# Editable, so the templates/ and static/ folders beside the code are the ones served.
RUN pip install -e .

USER larder
EXPOSE 8000
ENTRYPOINT ["larder"]
CMD ["serve", "--web-only"]
