"""The portal's pages, one module for each part (see portal/urls.py)."""
