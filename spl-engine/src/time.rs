//! Time modifiers (`-30d@d`, `@w0`, `now`), `--now` parsing, strftime/strptime.
