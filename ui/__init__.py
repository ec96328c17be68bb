"""The Streamlit glue that the page scripts share, in rooms from the bottom up:

- `ui.state`: the UI language and the view state in the URL (query parameters), page links;
- `ui.a11y`: `<html lang>`, chart text alternatives, Streamlit's own English in the UI language, and
  the phone styles (one small script and style sheet through st.html);
- `ui.loaders`: the store connection and the cached loaders over indicators/ (view functions are
  called through `loaders.cached(fn, *args)`, keyed on the database state);
- `ui.widgets`: pickers, tables with their downloads, charts, badges, banners, error rendering;
- `ui.embed`: the embed views of the chart pages (?visa=inbaddning) and the "Bädda in" button;
- `ui.password_form`: the forced change of a password that fails today's rule;
- `ui.session`: who is logged in (the session cookie, asked of the database every run), the login
  form, logout and single sign-on;
- `ui.account_routes`: the HTTP half of logging in (POST /account/login and /account/logout, served by
  app.py): it sets and clears the session cookie, which a page cannot do.

Only this package and the page scripts import streamlit (account_routes imports starlette). It holds no
SQL and no maths: it calls indicators/. Lower rooms never import higher ones
(state < a11y < loaders < widgets < embed, password_form < session; account_routes < session).
"""
