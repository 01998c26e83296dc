"""The shared web shell: what the JSON API and the staff pages both build on.

Bearer-token authentication, RFC 9457 problem responses, JSON body parsing and
attachment downloads. Domain packages never import it (``lint-imports``).
"""
