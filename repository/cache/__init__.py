"""Everything Larder keeps so hot reads stay cheap, in one place, each layer with one job.

From the outside in, as a warm anonymous read of a public index page meets them:

1. answers.py: a WSGI layer before Django. It re-sends the exact answer (headers and body,
   or the stored file) an earlier identical anonymous GET/HEAD got, while the stamps of the
   repositories that answer was built from are unchanged. Bypassed by requests with
   credentials, a cookie or a query string, by writes, and by answers a view did not mark
   with `share()` (private repositories, redirects, partial content).
2. stamps.py: one random value per repository, replaced by every write its readers must
   see (in Redis; in the embedded default, small files in the data directory). Layers 1 and
   3 compare against it; it is the only thing a warm request reads from outside the process.
3. rows.py: the repository, package and asset rows a request needs, kept per process under
   their repository's stamp and LARDER_HOT_CACHE_SECONDS. Bypassed by writes and whenever
   the stamps cannot be read.
4. copies.py: documents as sent (host filled in, gzip made), kept per process under their
   owner, key and validity; large ones' gzip shared through Redis. Never stale: the key
   holds the validity the request just read.
5. documents.py: stored documents (RenderedDocument), rendered once per validity (a
   generation, or several, and an expiry) and read with one indexed lookup.

invalidation.py is what writes call to move all of this on: generations bumped, stored
documents dropped, stamps replaced, warming queued. Formats use none of these modules
directly: they ask their content source (repository/sources/) and call the core's write
services (repository/services/).
"""
