#!/usr/bin/env python3
"""Creates (or updates) the one queue the benchmark polls: IMAP on the benchmark's Dovecot.

Usage: setup_queue.py HOST PORT USER PASSWORD [FOLDER]   (run with the site's settings)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
import django  # noqa: E402

django.setup()
from helpdesk.models import Queue  # noqa: E402

host, port, user, password = sys.argv[1:5]
folder = sys.argv[5] if len(sys.argv) > 5 else "INBOX"
queue, _ = Queue.objects.update_or_create(slug="bench", defaults=dict(
    title="Benchmark", email_address=user, allow_email_submission=True,
    email_box_type="imap", email_box_host=host, email_box_port=int(port), email_box_ssl=False,
    email_box_user=user, email_box_pass=password, email_box_imap_folder=folder,
    email_box_interval=0, logging_type="none",
))
print(f"queue {queue.slug} id={queue.id} -> imap://{host}:{port}/{folder}")
