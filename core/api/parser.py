"""The API's JSON body parser: a body of `null` is refused, not read as "no body".

django-ninja treats a parsed `None` like an absent body, so `PATCH` with `null` would change
nothing and answer 200; a client that sends it has a bug it should hear about (a 400).
"""

from ninja.parser import Parser


class JsonObjectParser(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        if data is None:
            raise ValueError("the body is null; send a JSON object")
        return data
