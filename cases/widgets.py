"""Form widgets shared by the public filters and the admin's own forms."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker; the value travels as YYYY-MM-DD, whatever the page's language."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")
