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
# With the LDAP extra: python-ldap builds against OpenLDAP's and SASL's headers, which are
# removed again after the build (the runtime libraries stay).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libldap2-dev libsasl2-dev \
    && pip install -e '.[ldap]' \
    && apt-get purge -y gcc libldap2-dev libsasl2-dev \
    && apt-get install -y --no-install-recommends libldap-2.5-0 libsasl2-2 \
    && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*

USER larder
EXPOSE 8000
ENTRYPOINT ["larder"]
CMD ["serve", "--web-only"]
