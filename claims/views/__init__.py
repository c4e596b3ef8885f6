"""The reviewer workspace: server-rendered pages with htmx partials."""
