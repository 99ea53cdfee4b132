"""The site shell: layout, home page, Vietnamese template filters, error pages."""
