#!/usr/bin/env python3
"""Mail that a support mailbox really receives, sent through the demo's Postfix.

Only used by scripts/demo.sh (and handy for manual runs): it plays the customers, an
autoresponder, a remote mail server bouncing, and an agent.
"""
import argparse
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from datetime import datetime, timezone


def message(sender, subject, body, domain, **headers):
    m = EmailMessage()
    m["From"] = sender
    m["To"] = f"Example Support <support@{domain}>"
    m["Subject"] = subject
    m["Date"] = format_datetime(datetime.now(timezone.utc))
    m["Message-ID"] = make_msgid(domain=sender.split("@")[-1].rstrip(">"))
    for k, v in headers.items():
        m[k.replace("_", "-")] = v
    m.set_content(body)
    return m


def new_requests(d, root):
    printer = message(f"Ann Customer <customer1@{d}>", "Printer on fire",
                      "Hello,\n\nour office printer shows error E42 and smells of smoke.\nWhat should we do?\n\nAnn", d)
    invoice = message(f"Bob Customer <customer2@{d}>", "Invoice 2026-11 is wrong",
                      "Hi, the November invoice bills 12 seats; we have 10. Export attached.\n\nBob", d)
    invoice.add_attachment("seat,user\n1,bob\n2,eve\n", subtype="csv", filename="export.csv")
    password = message(f"Jörg Kunde <customer3@{d}>", "Passwort zurücksetzen funktioniert nicht",
                       "Guten Tag,\n\nder Link zum Zurücksetzen des Passworts läuft sofort ab.\n\nGrüße, Jörg", d)
    bounce = EmailMessage()
    bounce["From"] = f"Mail Delivery System <MAILER-DAEMON@{d}>"
    bounce["To"] = f"support@{d}"
    bounce["Subject"] = "Undelivered Mail Returned to Sender"
    bounce["Auto-Submitted"] = "auto-replied"
    bounce["Message-ID"] = make_msgid(domain=d)
    bounce.set_content("This is the mail system. Your message could not be delivered to\n<gone@nowhere.invalid>: host not found.\n")
    return [printer, invoice, password, bounce]


def received(maildir_root, user, subject_part):
    """The newest mail in `user`'s Maildir whose subject contains `subject_part`: replies quote
    what postdesk actually sent (its tag and Message-ID), as a real mail client would."""
    import email, email.policy, glob, os
    files = glob.glob(os.path.join(maildir_root, user, "Maildir", "new", "*")) + \
        glob.glob(os.path.join(maildir_root, user, "Maildir", "cur", "*"))
    found = []
    for f in files:
        with open(f, "rb") as fh:
            m = email.message_from_binary_file(fh, policy=email.policy.default)
        if subject_part in str(m["subject"]):
            found.append((os.path.getmtime(f), m))
    if not found:
        raise SystemExit(f"demo-mail: {user} has received no mail about {subject_part!r}")
    return sorted(found, key=lambda x: x[0])[-1][1]


def customer_reply(d, root):
    ack = received(root, "customer1", "Printer on fire")
    # Outlook: "RE:" and the tag kept, no In-Reply-To or References.
    reply = message(f"Ann Customer <customer1@{d}>", f"RE: {ack['subject']}",
                    "It is the HP in room 4. Unplugged it for now.\n\n-----Original Message-----\nFrom: support\n> What should we do?", d)
    ack2 = received(root, "customer2", "Invoice")
    vacation = message(f"Bob Customer <customer2@{d}>", f"Automatic reply: {ack2['subject']}",
                       "I am out of the office until Monday.", d, Auto_Submitted="auto-replied", X_Autoreply="yes",
                       In_Reply_To=ack2["message-id"])
    return [reply, vacation]


def agent_reply(d, root):
    notice = received(root, "agent1", "Printer on fire")
    return [message(f"Alice Agent <agent1@{d}>", f"Re: {notice['subject']}",
                    "#status pending\n\nAnn, please keep it unplugged; a technician comes at 14:00.\n\nAlice", d,
                    In_Reply_To=notice["message-id"], References=notice["message-id"])]


SETS = {"new-requests": new_requests, "customer-reply": customer_reply, "agent-reply": agent_reply}

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("set", choices=sorted(SETS))
    ap.add_argument("--port", type=int, default=1025)
    ap.add_argument("--domain", default="example.test")
    ap.add_argument("--maildirs", default="", help="root of the demo users' Maildirs (for replies)")
    a = ap.parse_args()
    with smtplib.SMTP("127.0.0.1", a.port) as s:
        for m in SETS[a.set](a.domain, a.maildirs):
            s.send_message(m)
            print(f"  sent: {m['From']} -> support: {m['Subject']}")
