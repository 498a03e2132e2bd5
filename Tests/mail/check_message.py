#!/usr/bin/env python3
"""Parses a message the test SMTP server received with Python's `email` package and prints what the tests check,
as JSON: the decoded headers, the MIME structure, both text bodies and each attachment (a PDF's text through
pdftotext).

Usage: check_message.py FILE.eml
"""
import email
import email.policy
import json
import subprocess
import sys
import tempfile

with open(sys.argv[1], "rb") as f:
    message = email.message_from_binary_file(f, policy=email.policy.default)

defects = [type(d).__name__ for part in message.walk() for d in part.defects]
out = {
    "from": str(message["From"]),
    "from_name": message["From"].addresses[0].display_name,
    "from_address": message["From"].addresses[0].addr_spec,
    "to": message["To"].addresses[0].addr_spec,
    "reply_to": str(message["Reply-To"]) if message["Reply-To"] else None,
    "subject": str(message["Subject"]),
    "date": str(message["Date"]),
    "message_id": str(message["Message-ID"]),
    "mime_version": str(message["MIME-Version"]),
    "structure": [part.get_content_type() for part in message.walk()],
    "defects": defects,
    "text": None, "html": None, "attachments": [],
}
for part in message.walk():
    if part.is_multipart():
        continue
    if part.get_content_disposition() == "attachment":
        data = part.get_payload(decode=True)
        item = {"filename": part.get_filename(), "content_type": part.get_content_type(), "size": len(data),
                "transfer_encoding": part["Content-Transfer-Encoding"], "pdf_text": None}
        if part.get_content_type() == "application/pdf":
            with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
                pdf.write(data)
                pdf.flush()
                done = subprocess.run(["pdftotext", "-layout", pdf.name, "-"], capture_output=True, text=True)
                item["pdf_text"] = done.stdout if done.returncode == 0 else None
        out["attachments"].append(item)
    elif part.get_content_type() in ("text/plain", "text/html"):
        key = "text" if part.get_content_type() == "text/plain" else "html"
        out[key] = part.get_content()
        out[key + "_charset"] = part.get_content_charset()
        out[key + "_encoding"] = part["Content-Transfer-Encoding"]
print(json.dumps(out, ensure_ascii=False))
