"""The Streamlit glue that the page scripts share, in four rooms:

- `ui.state`: the UI language and the view state in the URL (query parameters), page links;
- `ui.loaders`: the store connection and the cached loaders over indicators/ (view functions are
  called through `loaders.cached(fn, *args)`, keyed on the database state);
- `ui.widgets`: pickers, tables with their downloads, charts, badges, banners, error rendering;
- `ui.embed`: the embed views of the chart pages (?visa=inbaddning) and the "Bädda in" button;
- `ui.password_form`: the forced change of a password that fails today's rule;
- `ui.session`: accounts, login (with the client address for throttling), logout and the idle timeout.

Only this package and the page scripts import streamlit. It holds no SQL and no maths: it calls
indicators/. Lower rooms never import higher ones (state < loaders < widgets < embed, password_form < session).
"""
