"""Publishing: the municipality report as PDF and Word from one translated content model.

`content` holds the dataclasses, `charts_png` turns the dashboard's Plotly figures into PNG
(kaleido + a local Chromium, warm and reusable, with a table fallback), `pdf` and `docx` render.
Building the content from the dashboard's data is the caller's job. Never imports streamlit.
"""
