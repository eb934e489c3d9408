"""Dates as the public pages write them ("17 August 2018", "17 августа 2018"), for every page that
formats a date with Django's defaults: the admin's lists, forms and histories (FORMAT_MODULE_PATH)."""
