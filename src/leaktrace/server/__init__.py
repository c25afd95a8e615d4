"""The web dashboard and REST API (`leaktrace serve`).

    from leaktrace.server.app import create_app
    from leaktrace.server.config import ServerConfig

    app = create_app(ServerConfig(database_url="sqlite:///leaktrace.db", home=Path("data")))

Pages are rendered on the server (Jinja2, plain forms, no JavaScript build); the same
operations are JSON under ``/api`` (OpenAPI schema at ``/api/openapi.json``). Every route
declares the least role it needs (:mod:`leaktrace.server.auth`), every change is audited
(:mod:`leaktrace.server.audit`).
"""
