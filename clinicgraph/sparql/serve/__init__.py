"""`clinicgraph serve`, the read-only SPARQL 1.1 endpoint: ``endpoint`` starts and stops it
(the front and Oxigraph's server behind it), ``app`` is the front, ``request`` checks a
request, ``cache`` keeps answers, ``lanes`` bounds the queries running at once, ``child``
runs Oxigraph's server, ``description`` says what the endpoint holds, ``ui/`` is the query
page it serves. This file imports nothing, so reading ``description`` alone (as the
pipeline does) does not load the web server."""
