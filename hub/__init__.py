"""The Hub project package: settings, root URLs and site-wide pages."""
