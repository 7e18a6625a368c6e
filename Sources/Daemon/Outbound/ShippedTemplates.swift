// Generated from Sources/Daemon/Outbound/Templates by ShippedTemplatesTests (POSTDESK_UPDATE_GOLDENS=1).
// Edit the files there, not this one: the test fails while the two differ.

/// The notification templates compiled into the binary, by file name.
enum ShippedTemplates {
    static let files: [String: String] = [
        "ack.de.html": #"""
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>Eingegangen: {{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>vielen Dank für Ihre Nachricht. Wir haben Ihre Anfrage erhalten und unter der Nummer {{ticket.tag}} erfasst:</p>
<blockquote>{{ticket.subject}}</blockquote>
<p>Wir melden uns so schnell wie möglich. Wenn Sie etwas ergänzen möchten, antworten Sie einfach auf diese E-Mail und lassen Sie {{ticket.tag}} im Betreff stehen.</p>
{{#ticket.url}}
<p>Den Stand Ihrer Anfrage sehen Sie hier: <a href="{{ticket.url}}">{{ticket.url}}</a></p>
{{/ticket.url}}
<p>-- <br>Ihr Support-Team</p>
</body>
</html>

"""#,
        "ack.de.txt": #"""
Subject: Eingegangen: {{ticket.subject}}

Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},

vielen Dank für Ihre Nachricht. Wir haben Ihre Anfrage erhalten und unter der Nummer {{ticket.tag}} erfasst:

    {{ticket.subject}}

Wir melden uns so schnell wie möglich. Wenn Sie etwas ergänzen möchten, antworten Sie einfach auf diese E-Mail und lassen Sie {{ticket.tag}} im Betreff stehen.
{{#ticket.url}}

Den Stand Ihrer Anfrage sehen Sie hier: {{ticket.url}}
{{/ticket.url}}

-- 
Ihr Support-Team

"""#,
        "ack.en.html": #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Received: {{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Hello{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>thank you for writing to us. We have received your request and registered it as ticket {{ticket.tag}}:</p>
<blockquote>{{ticket.subject}}</blockquote>
<p>We will answer as soon as we can. If you want to add anything, simply reply to this mail and keep {{ticket.tag}} in the subject.</p>
{{#ticket.url}}
<p>You can follow your request here: <a href="{{ticket.url}}">{{ticket.url}}</a></p>
{{/ticket.url}}
<p>-- <br>Your support team</p>
</body>
</html>

"""#,
        "ack.en.txt": #"""
Subject: Received: {{ticket.subject}}

Hello{{#customer.name}} {{customer.name}}{{/customer.name}},

thank you for writing to us. We have received your request and registered it as ticket {{ticket.tag}}:

    {{ticket.subject}}

We will answer as soon as we can. If you want to add anything, simply reply to this mail and keep {{ticket.tag}} in the subject.
{{#ticket.url}}

You can follow your request here: {{ticket.url}}
{{/ticket.url}}

-- 
Your support team

"""#,
        "ack.ru.html": #"""
<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>Обращение получено: {{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Спасибо, что написали нам. Мы получили ваше обращение и зарегистрировали его под номером {{ticket.tag}}:</p>
<blockquote>{{ticket.subject}}</blockquote>
<p>Мы ответим, как только сможем. Если захотите что-то добавить, просто ответьте на это письмо, не удаляя {{ticket.tag}} из темы.</p>
{{#ticket.url}}
<p>Следить за обращением можно здесь: <a href="{{ticket.url}}">{{ticket.url}}</a></p>
{{/ticket.url}}
<p>-- <br>Ваша служба поддержки</p>
</body>
</html>

"""#,
        "ack.ru.txt": #"""
Subject: Обращение получено: {{ticket.subject}}

Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Спасибо, что написали нам. Мы получили ваше обращение и зарегистрировали его под номером {{ticket.tag}}:

    {{ticket.subject}}

Мы ответим, как только сможем. Если захотите что-то добавить, просто ответьте на это письмо, не удаляя {{ticket.tag}} из темы.
{{#ticket.url}}

Следить за обращением можно здесь: {{ticket.url}}
{{/ticket.url}}

-- 
Ваша служба поддержки

"""#,
        "ack.uk.html": #"""
<!DOCTYPE html>
<html lang="uk">
<head>
<meta charset="utf-8">
<title>Звернення отримано: {{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Дякуємо, що написали нам. Ми отримали ваше звернення і зареєстрували його під номером {{ticket.tag}}:</p>
<blockquote>{{ticket.subject}}</blockquote>
<p>Ми відповімо, щойно зможемо. Якщо захочете щось додати, просто дайте відповідь на цей лист, залишивши {{ticket.tag}} у темі.</p>
{{#ticket.url}}
<p>Стежити за зверненням можна тут: <a href="{{ticket.url}}">{{ticket.url}}</a></p>
{{/ticket.url}}
<p>-- <br>Ваша служба підтримки</p>
</body>
</html>

"""#,
        "ack.uk.txt": #"""
Subject: Звернення отримано: {{ticket.subject}}

Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Дякуємо, що написали нам. Ми отримали ваше звернення і зареєстрували його під номером {{ticket.tag}}:

    {{ticket.subject}}

Ми відповімо, щойно зможемо. Якщо захочете щось додати, просто дайте відповідь на цей лист, залишивши {{ticket.tag}} у темі.
{{#ticket.url}}

Стежити за зверненням можна тут: {{ticket.url}}
{{/ticket.url}}

-- 
Ваша служба підтримки

"""#,
        "agent-unverified.de.txt": #"""
Subject: Nicht übernommen: eine Mail in Ihrem Namen zu {{ticket.subject}}

Eine Mail von Ihrer Adresse wurde nicht als Ihre übernommen. Grund:

{{message.text}}

Es wurde nichts geändert und nichts an den Kunden geschickt. Um per Mail an einem Ticket zu
arbeiten, antworten Sie auf die Benachrichtigung von postdesk, damit Ihre Antwort deren Kennung
trägt (oder fragen Sie den Betreiber nach trusted_authserv_ids). Wenn Sie diese Mail nicht
geschrieben haben, benutzt jemand Ihre Adresse.

"""#,
        "agent-unverified.en.txt": #"""
Subject: Not taken: a mail in your name about {{ticket.subject}}

A mail from your address was not taken as yours, because:

{{message.text}}

Nothing was changed and nothing was sent to the customer. To act on a ticket by mail, reply to
the notice postdesk sent you, so that your reply carries its handle (or ask the operator about
trusted_authserv_ids). If you did not write that mail, someone is using your address.

"""#,
        "agent-unverified.ru.txt": #"""
Subject: Не принято: письмо от вашего имени по {{ticket.subject}}

Письмо с вашего адреса не было принято как ваше. Причина:

{{message.text}}

Ничего не изменено, клиенту ничего не отправлено. Чтобы работать с заявкой по почте, отвечайте
на уведомление postdesk, чтобы ответ нёс его метку (или спросите администратора о
trusted_authserv_ids). Если вы не писали это письмо, кто-то пользуется вашим адресом.

"""#,
        "agent-unverified.uk.txt": #"""
Subject: Не прийнято: лист від вашого імені щодо {{ticket.subject}}

Лист із вашої адреси не було прийнято як ваш. Причина:

{{message.text}}

Нічого не змінено, клієнту нічого не надіслано. Щоб працювати із заявкою поштою, відповідайте
на сповіщення postdesk, щоб відповідь містила його мітку (або запитайте адміністратора про
trusted_authserv_ids). Якщо ви не писали цього листа, хтось користується вашою адресою.

"""#,
        "assigned-customer.de.html": #"""
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>um Ihre Anfrage {{ticket.tag}} kümmert sich jetzt ein Spezialist{{#agent}}: {{agent.name}}{{/agent}}. Sie hören bald von uns.</p>
<p>Ihr Support-Team</p>
</body>
</html>

"""#,
        "assigned-customer.de.txt": #"""
Subject: {{ticket.subject}}

Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},

um Ihre Anfrage {{ticket.tag}} kümmert sich jetzt ein Spezialist{{#agent}}: {{agent.name}}{{/agent}}. Sie hören bald von uns.

Ihr Support-Team

"""#,
        "assigned-customer.en.html": #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Hello{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>a specialist has been assigned to your request {{ticket.tag}}{{#agent}}: {{agent.name}}{{/agent}}. You will hear from us soon.</p>
<p>Your support team</p>
</body>
</html>

"""#,
        "assigned-customer.en.txt": #"""
Subject: {{ticket.subject}}

Hello{{#customer.name}} {{customer.name}}{{/customer.name}},

a specialist has been assigned to your request {{ticket.tag}}{{#agent}}: {{agent.name}}{{/agent}}. You will hear from us soon.

Your support team

"""#,
        "assigned-customer.ru.html": #"""
<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Вашим обращением {{ticket.tag}} теперь занимается специалист{{#agent}}: {{agent.name}}{{/agent}}. Скоро мы с вами свяжемся.</p>
<p>Ваша служба поддержки</p>
</body>
</html>

"""#,
        "assigned-customer.ru.txt": #"""
Subject: {{ticket.subject}}

Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Вашим обращением {{ticket.tag}} теперь занимается специалист{{#agent}}: {{agent.name}}{{/agent}}. Скоро мы с вами свяжемся.

Ваша служба поддержки

"""#,
        "assigned-customer.uk.html": #"""
<!DOCTYPE html>
<html lang="uk">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Вашим зверненням {{ticket.tag}} тепер займається фахівець{{#agent}}: {{agent.name}}{{/agent}}. Незабаром ми з вами зв’яжемося.</p>
<p>Ваша служба підтримки</p>
</body>
</html>

"""#,
        "assigned-customer.uk.txt": #"""
Subject: {{ticket.subject}}

Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Вашим зверненням {{ticket.tag}} тепер займається фахівець{{#agent}}: {{agent.name}}{{/agent}}. Незабаром ми з вами зв’яжемося.

Ваша служба підтримки

"""#,
        "assigned.de.txt": #"""
Subject: Ihnen zugewiesen: {{ticket.subject}}

{{#agent}}{{agent.name}}, {{/agent}}die Anfrage {{ticket.tag}} in der Queue {{ticket.queue}} ist Ihnen jetzt zugewiesen (Status: {{ticket.status}}, Priorität: {{ticket.priority}}).
Von {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

-- 
Antworten Sie auf diese E-Mail, um dem Kunden zu antworten.

"""#,
        "assigned.en.txt": #"""
Subject: Assigned to you: {{ticket.subject}}

{{#agent}}{{agent.name}}, {{/agent}}ticket {{ticket.tag}} in queue {{ticket.queue}} is now assigned to you (status {{ticket.status}}, priority {{ticket.priority}}).
From {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

-- 
Reply to this mail to answer the customer.

"""#,
        "assigned.ru.txt": #"""
Subject: Назначено вам: {{ticket.subject}}

{{#agent}}{{agent.name}}, {{/agent}}обращение {{ticket.tag}} в очереди {{ticket.queue}} теперь назначено вам (статус: {{ticket.status}}, приоритет: {{ticket.priority}}).
От {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

-- 
Ответьте на это письмо, чтобы ответить клиенту.

"""#,
        "assigned.uk.txt": #"""
Subject: Призначено вам: {{ticket.subject}}

{{#agent}}{{agent.name}}, {{/agent}}звернення {{ticket.tag}} у черзі {{ticket.queue}} тепер призначено вам (статус: {{ticket.status}}, пріоритет: {{ticket.priority}}).
Від {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

-- 
Дайте відповідь на цей лист, щоб відповісти клієнтові.

"""#,
        "command-report.de.txt": #"""
Subject: Befehle zu {{ticket.tag}}: nicht alle ausgeführt

Ihre Antwort zum Ticket {{ticket.tag}} ({{ticket.subject}}) enthielt einen Befehl, der fehlschlug:

{{message.text}}

Befehle sind Zeilen am Anfang einer Antwort: #status open|pending|resolved|closed, #resolve,
#close, #pending, #priority low|normal|high|urgent, #assign <Agent>|me, #unassign.

"""#,
        "command-report.en.txt": #"""
Subject: Commands on {{ticket.tag}}: not all applied

Your reply on ticket {{ticket.tag}} ({{ticket.subject}}) had a command that failed:

{{message.text}}

Commands are lines at the top of a reply: #status open|pending|resolved|closed, #resolve,
#close, #pending, #priority low|normal|high|urgent, #assign <agent>|me, #unassign.

"""#,
        "command-report.ru.txt": #"""
Subject: Команды по {{ticket.tag}}: выполнены не все

В вашем ответе по заявке {{ticket.tag}} ({{ticket.subject}}) была команда, которая не выполнена:

{{message.text}}

Команды — строки в начале ответа: #status open|pending|resolved|closed, #resolve,
#close, #pending, #priority low|normal|high|urgent, #assign <агент>|me, #unassign.

"""#,
        "command-report.uk.txt": #"""
Subject: Команди щодо {{ticket.tag}}: виконано не всі

У вашій відповіді щодо заявки {{ticket.tag}} ({{ticket.subject}}) була команда, яку не виконано:

{{message.text}}

Команди — рядки на початку відповіді: #status open|pending|resolved|closed, #resolve,
#close, #pending, #priority low|normal|high|urgent, #assign <агент>|me, #unassign.

"""#,
        "follow-up.de.txt": #"""
Subject: Neue Nachricht: {{ticket.subject}}

{{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}> hat erneut zur Anfrage {{ticket.tag}} geschrieben (Status: {{ticket.status}}, Priorität: {{ticket.priority}}):{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Antworten Sie auf diese E-Mail, um dem Kunden zu antworten.

"""#,
        "follow-up.en.txt": #"""
Subject: Follow-up: {{ticket.subject}}

{{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}> wrote again on ticket {{ticket.tag}} (status {{ticket.status}}, priority {{ticket.priority}}):{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Reply to this mail to answer the customer.

"""#,
        "follow-up.ru.txt": #"""
Subject: Новое письмо: {{ticket.subject}}

{{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}> снова написал(а) по обращению {{ticket.tag}} (статус: {{ticket.status}}, приоритет: {{ticket.priority}}):{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Ответьте на это письмо, чтобы ответить клиенту.

"""#,
        "follow-up.uk.txt": #"""
Subject: Новий лист: {{ticket.subject}}

{{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}> знову написав(ла) у зверненні {{ticket.tag}} (статус: {{ticket.status}}, пріоритет: {{ticket.priority}}):{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Дайте відповідь на цей лист, щоб відповісти клієнтові.

"""#,
        "merged.de.html": #"""
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>Ihre Anfrage {{merged.tag}} wurde mit {{ticket.tag}} zusammengeführt, die dasselbe Anliegen behandelt. Sie wird dort weiterbearbeitet: Bitte lassen Sie {{ticket.tag}} im Betreff stehen, wenn Sie uns schreiben. Antworten auf Ihre früheren E-Mails erreichen uns weiterhin.</p>
<p>Ihr Support-Team</p>
</body>
</html>

"""#,
        "merged.de.txt": #"""
Subject: {{ticket.subject}}

Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},

Ihre Anfrage {{merged.tag}} wurde mit {{ticket.tag}} zusammengeführt, die dasselbe Anliegen behandelt. Sie wird dort weiterbearbeitet: Bitte lassen Sie {{ticket.tag}} im Betreff stehen, wenn Sie uns schreiben. Antworten auf Ihre früheren E-Mails erreichen uns weiterhin.

Ihr Support-Team

"""#,
        "merged.en.html": #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Hello{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>your request {{merged.tag}} has been joined with {{ticket.tag}}, which deals with the same matter. It continues there: please keep {{ticket.tag}} in the subject when you write to us. Replies to your earlier mails still reach us.</p>
<p>Your support team</p>
</body>
</html>

"""#,
        "merged.en.txt": #"""
Subject: {{ticket.subject}}

Hello{{#customer.name}} {{customer.name}}{{/customer.name}},

your request {{merged.tag}} has been joined with {{ticket.tag}}, which deals with the same matter. It continues there: please keep {{ticket.tag}} in the subject when you write to us. Replies to your earlier mails still reach us.

Your support team

"""#,
        "merged.ru.html": #"""
<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Обращение {{merged.tag}} объединено с обращением {{ticket.tag}} по тому же вопросу. Работа продолжается там: пожалуйста, оставляйте {{ticket.tag}} в теме письма. Ответы на прежние письма тоже дойдут до нас.</p>
<p>Ваша служба поддержки</p>
</body>
</html>

"""#,
        "merged.ru.txt": #"""
Subject: {{ticket.subject}}

Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Обращение {{merged.tag}} объединено с обращением {{ticket.tag}} по тому же вопросу. Работа продолжается там: пожалуйста, оставляйте {{ticket.tag}} в теме письма. Ответы на прежние письма тоже дойдут до нас.

Ваша служба поддержки

"""#,
        "merged.uk.html": #"""
<!DOCTYPE html>
<html lang="uk">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<p>Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Звернення {{merged.tag}} об'єднано зі зверненням {{ticket.tag}} щодо того самого питання. Робота триває там: будь ласка, залишайте {{ticket.tag}} у темі листа. Відповіді на попередні листи теж дійдуть до нас.</p>
<p>Ваша служба підтримки</p>
</body>
</html>

"""#,
        "merged.uk.txt": #"""
Subject: {{ticket.subject}}

Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Звернення {{merged.tag}} об'єднано зі зверненням {{ticket.tag}} щодо того самого питання. Робота триває там: будь ласка, залишайте {{ticket.tag}} у темі листа. Відповіді на попередні листи теж дійдуть до нас.

Ваша служба підтримки

"""#,
        "new-ticket.de.txt": #"""
Subject: Neue Anfrage: {{ticket.subject}}

Neue Anfrage {{ticket.tag}} in der Queue {{ticket.queue}} (Priorität: {{ticket.priority}})
von {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Antworten Sie auf diese E-Mail, um dem Kunden zu antworten. Zeilen wie „#status pending“, „#resolve“,
„#assign me“ oder „#priority high“ am Anfang Ihrer Antwort ändern die Anfrage.

"""#,
        "new-ticket.en.txt": #"""
Subject: New ticket: {{ticket.subject}}

New ticket {{ticket.tag}} in queue {{ticket.queue}} (priority {{ticket.priority}})
from {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Reply to this mail to answer the customer. Lines like "#status pending", "#resolve",
"#assign me" or "#priority high" at the top of your reply change the ticket.

"""#,
        "new-ticket.ru.txt": #"""
Subject: Новое обращение: {{ticket.subject}}

Новое обращение {{ticket.tag}} в очереди {{ticket.queue}} (приоритет: {{ticket.priority}})
от {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Ответьте на это письмо, чтобы ответить клиенту. Строки вида «#status pending», «#resolve»,
«#assign me» или «#priority high» в начале ответа меняют обращение.

"""#,
        "new-ticket.uk.txt": #"""
Subject: Нове звернення: {{ticket.subject}}

Нове звернення {{ticket.tag}} у черзі {{ticket.queue}} (пріоритет: {{ticket.priority}})
від {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Дайте відповідь на цей лист, щоб відповісти клієнтові. Рядки на кшталт «#status pending», «#resolve»,
«#assign me» або «#priority high» на початку відповіді змінюють звернення.

"""#,
        "note.de.txt": #"""
Subject: Interne Notiz: {{ticket.subject}}

{{#agent}}{{agent.name}} hat{{/agent}} eine interne Notiz zum Ticket {{ticket.tag}} geschrieben (Status: {{ticket.status}}, Priorität: {{ticket.priority}}). Der Kunde sieht sie nicht.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Antworten Sie auf diese E-Mail, um dem Kunden zu antworten; beginnen Sie mit #note für eine weitere Notiz.

"""#,
        "note.en.txt": #"""
Subject: Internal note: {{ticket.subject}}

{{#agent}}{{agent.name}} wrote{{/agent}} an internal note on ticket {{ticket.tag}} (status {{ticket.status}}, priority {{ticket.priority}}). The customer does not see it.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Reply to this mail to answer the customer; start your reply with #note to add another note.

"""#,
        "note.ru.txt": #"""
Subject: Внутренняя заметка: {{ticket.subject}}

{{#agent}}{{agent.name}} оставил(а){{/agent}} внутреннюю заметку к заявке {{ticket.tag}} (статус: {{ticket.status}}, приоритет: {{ticket.priority}}). Клиент её не видит.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Ответьте на это письмо, чтобы ответить клиенту; начните ответ с #note, чтобы добавить ещё заметку.

"""#,
        "note.uk.txt": #"""
Subject: Внутрішня нотатка: {{ticket.subject}}

{{#agent}}{{agent.name}} залишив(ла){{/agent}} внутрішню нотатку до заявки {{ticket.tag}} (статус: {{ticket.status}}, пріоритет: {{ticket.priority}}). Клієнт її не бачить.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Дайте відповідь на цей лист, щоб відповісти клієнту; почніть відповідь з #note, щоб додати ще нотатку.

"""#,
        "reopened.de.txt": #"""
Subject: Wieder geöffnet: {{ticket.subject}}

{{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}> hat die Anfrage {{ticket.tag}} wieder geöffnet; Status: {{ticket.status}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Antworten Sie auf diese E-Mail, um dem Kunden zu antworten.

"""#,
        "reopened.en.txt": #"""
Subject: Reopened: {{ticket.subject}}

{{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}> reopened ticket {{ticket.tag}}; it is {{ticket.status}} again.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Reply to this mail to answer the customer.

"""#,
        "reopened.ru.txt": #"""
Subject: Открыто снова: {{ticket.subject}}

{{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}> снова открыл(а) обращение {{ticket.tag}}, статус: {{ticket.status}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Ответьте на это письмо, чтобы ответить клиенту.

"""#,
        "reopened.uk.txt": #"""
Subject: Відкрито знову: {{ticket.subject}}

{{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}> знову відкрив(ла) звернення {{ticket.tag}}, статус: {{ticket.status}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}

{{message.text}}

-- 
Дайте відповідь на цей лист, щоб відповісти клієнтові.

"""#,
        "reply.de.html": #"""
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>-- <br>Anfrage {{ticket.tag}}, Status: {{ticket.status}}. Antworten Sie einfach auf diese E-Mail.</p>
</body>
</html>

"""#,
        "reply.de.txt": #"""
Subject: {{ticket.subject}}

{{message.text}}

-- 
Anfrage {{ticket.tag}}, Status: {{ticket.status}}. Antworten Sie einfach auf diese E-Mail.

"""#,
        "reply.en.html": #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>-- <br>Ticket {{ticket.tag}}, status: {{ticket.status}}. Reply to this mail to answer.</p>
</body>
</html>

"""#,
        "reply.en.txt": #"""
Subject: {{ticket.subject}}

{{message.text}}

-- 
Ticket {{ticket.tag}}, status: {{ticket.status}}. Reply to this mail to answer.

"""#,
        "reply.ru.html": #"""
<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>-- <br>Обращение {{ticket.tag}}, статус: {{ticket.status}}. Чтобы ответить, просто ответьте на это письмо.</p>
</body>
</html>

"""#,
        "reply.ru.txt": #"""
Subject: {{ticket.subject}}

{{message.text}}

-- 
Обращение {{ticket.tag}}, статус: {{ticket.status}}. Чтобы ответить, просто ответьте на это письмо.

"""#,
        "reply.uk.html": #"""
<!DOCTYPE html>
<html lang="uk">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>-- <br>Звернення {{ticket.tag}}, статус: {{ticket.status}}. Щоб відповісти, просто дайте відповідь на цей лист.</p>
</body>
</html>

"""#,
        "reply.uk.txt": #"""
Subject: {{ticket.subject}}

{{message.text}}

-- 
Звернення {{ticket.tag}}, статус: {{ticket.status}}. Щоб відповісти, просто дайте відповідь на цей лист.

"""#,
        "sla-breach.de.txt": #"""
Subject: SLA-Frist überschritten: {{ticket.subject}}

Die Anfrage {{ticket.tag}} in der Queue {{ticket.queue}} war bis {{sla.due}} fällig und steht noch auf „{{ticket.status}}“{{#agent}} (zuständig: {{agent.name}}){{/agent}}.
Kunde: {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, Priorität: {{ticket.priority}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "sla-breach.en.txt": #"""
Subject: SLA breached: {{ticket.subject}}

Ticket {{ticket.tag}} in queue {{ticket.queue}} was due by {{sla.due}} and is still {{ticket.status}}{{#agent}} (assigned to {{agent.name}}){{/agent}}.
Customer: {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, priority {{ticket.priority}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "sla-breach.ru.txt": #"""
Subject: Срок SLA нарушен: {{ticket.subject}}

Обращение {{ticket.tag}} в очереди {{ticket.queue}} нужно было обработать до {{sla.due}}, а оно всё ещё в статусе «{{ticket.status}}»{{#agent}} (исполнитель: {{agent.name}}){{/agent}}.
Клиент: {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, приоритет: {{ticket.priority}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "sla-breach.uk.txt": #"""
Subject: Термін SLA порушено: {{ticket.subject}}

Звернення {{ticket.tag}} у черзі {{ticket.queue}} треба було опрацювати до {{sla.due}}, а воно досі має статус «{{ticket.status}}»{{#agent}} (виконавець: {{agent.name}}){{/agent}}.
Клієнт: {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, пріоритет: {{ticket.priority}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "sla-warning.de.txt": #"""
Subject: SLA-Frist läuft bald ab: {{ticket.subject}}

Die Anfrage {{ticket.tag}} in der Queue {{ticket.queue}} ist bis {{sla.due}} fällig und steht noch auf „{{ticket.status}}“{{#agent}} (zuständig: {{agent.name}}){{/agent}}.
Kunde: {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, Priorität: {{ticket.priority}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "sla-warning.en.txt": #"""
Subject: SLA due soon: {{ticket.subject}}

Ticket {{ticket.tag}} in queue {{ticket.queue}} is due by {{sla.due}} and still {{ticket.status}}{{#agent}} (assigned to {{agent.name}}){{/agent}}.
Customer: {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, priority {{ticket.priority}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "sla-warning.ru.txt": #"""
Subject: Скоро срок SLA: {{ticket.subject}}

Обращение {{ticket.tag}} в очереди {{ticket.queue}} нужно обработать до {{sla.due}}, а оно всё ещё в статусе «{{ticket.status}}»{{#agent}} (исполнитель: {{agent.name}}){{/agent}}.
Клиент: {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, приоритет: {{ticket.priority}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "sla-warning.uk.txt": #"""
Subject: Спливає термін SLA: {{ticket.subject}}

Звернення {{ticket.tag}} у черзі {{ticket.queue}} треба опрацювати до {{sla.due}}, а воно досі має статус «{{ticket.status}}»{{#agent}} (виконавець: {{agent.name}}){{/agent}}.
Клієнт: {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, пріоритет: {{ticket.priority}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "status-closed.de.html": #"""
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>Ihre Anfrage {{ticket.tag}} ist jetzt abgeschlossen. Wenn Sie noch etwas brauchen, schreiben Sie uns jederzeit; wir legen dann eine neue Anfrage an.</p>
<p>Ihr Support-Team</p>
</body>
</html>

"""#,
        "status-closed.de.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},

Ihre Anfrage {{ticket.tag}} ist jetzt abgeschlossen. Wenn Sie noch etwas brauchen, schreiben Sie uns jederzeit; wir legen dann eine neue Anfrage an.

Ihr Support-Team

"""#,
        "status-closed.en.html": #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Hello{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>your request {{ticket.tag}} is now closed. If you need anything else, write to us at any time and we will open a new ticket.</p>
<p>Your support team</p>
</body>
</html>

"""#,
        "status-closed.en.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Hello{{#customer.name}} {{customer.name}}{{/customer.name}},

your request {{ticket.tag}} is now closed. If you need anything else, write to us at any time and we will open a new ticket.

Your support team

"""#,
        "status-closed.ru.html": #"""
<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Обращение {{ticket.tag}} закрыто. Если понадобится что-то ещё, пишите нам в любое время: мы заведём новое обращение.</p>
<p>Ваша служба поддержки</p>
</body>
</html>

"""#,
        "status-closed.ru.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Обращение {{ticket.tag}} закрыто. Если понадобится что-то ещё, пишите нам в любое время: мы заведём новое обращение.

Ваша служба поддержки

"""#,
        "status-closed.uk.html": #"""
<!DOCTYPE html>
<html lang="uk">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Звернення {{ticket.tag}} закрито. Якщо знадобиться ще щось, пишіть нам будь-коли: ми створимо нове звернення.</p>
<p>Ваша служба підтримки</p>
</body>
</html>

"""#,
        "status-closed.uk.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Звернення {{ticket.tag}} закрито. Якщо знадобиться ще щось, пишіть нам будь-коли: ми створимо нове звернення.

Ваша служба підтримки

"""#,
        "status-open.de.html": #"""
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>wir bearbeiten Ihre Anfrage {{ticket.tag}} jetzt{{#agent}}; zuständig ist {{agent.name}}{{/agent}}. Sobald es Neuigkeiten gibt, melden wir uns.</p>
{{#ticket.url}}
<p>Den Stand Ihrer Anfrage sehen Sie hier: <a href="{{ticket.url}}">{{ticket.url}}</a></p>
{{/ticket.url}}
<p>Ihr Support-Team</p>
</body>
</html>

"""#,
        "status-open.de.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},

wir bearbeiten Ihre Anfrage {{ticket.tag}} jetzt{{#agent}}; zuständig ist {{agent.name}}{{/agent}}. Sobald es Neuigkeiten gibt, melden wir uns.
{{#ticket.url}}

Den Stand Ihrer Anfrage sehen Sie hier: {{ticket.url}}
{{/ticket.url}}

Ihr Support-Team

"""#,
        "status-open.en.html": #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Hello{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>your request {{ticket.tag}} has been accepted into work{{#agent}} by {{agent.name}}{{/agent}}. We will get back to you as soon as there is news.</p>
{{#ticket.url}}
<p>You can follow your request here: <a href="{{ticket.url}}">{{ticket.url}}</a></p>
{{/ticket.url}}
<p>Your support team</p>
</body>
</html>

"""#,
        "status-open.en.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Hello{{#customer.name}} {{customer.name}}{{/customer.name}},

your request {{ticket.tag}} has been accepted into work{{#agent}} by {{agent.name}}{{/agent}}. We will get back to you as soon as there is news.
{{#ticket.url}}

You can follow your request here: {{ticket.url}}
{{/ticket.url}}

Your support team

"""#,
        "status-open.ru.html": #"""
<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Ваше обращение {{ticket.tag}} принято в работу{{#agent}}, им занимается {{agent.name}}{{/agent}}. Мы напишем вам, как только появятся новости.</p>
{{#ticket.url}}
<p>Следить за обращением можно здесь: <a href="{{ticket.url}}">{{ticket.url}}</a></p>
{{/ticket.url}}
<p>Ваша служба поддержки</p>
</body>
</html>

"""#,
        "status-open.ru.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Ваше обращение {{ticket.tag}} принято в работу{{#agent}}, им занимается {{agent.name}}{{/agent}}. Мы напишем вам, как только появятся новости.
{{#ticket.url}}

Следить за обращением можно здесь: {{ticket.url}}
{{/ticket.url}}

Ваша служба поддержки

"""#,
        "status-open.uk.html": #"""
<!DOCTYPE html>
<html lang="uk">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Ваше звернення {{ticket.tag}} взято в роботу{{#agent}}, ним займається {{agent.name}}{{/agent}}. Ми напишемо вам, щойно з’являться новини.</p>
{{#ticket.url}}
<p>Стежити за зверненням можна тут: <a href="{{ticket.url}}">{{ticket.url}}</a></p>
{{/ticket.url}}
<p>Ваша служба підтримки</p>
</body>
</html>

"""#,
        "status-open.uk.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Ваше звернення {{ticket.tag}} взято в роботу{{#agent}}, ним займається {{agent.name}}{{/agent}}. Ми напишемо вам, щойно з’являться новини.
{{#ticket.url}}

Стежити за зверненням можна тут: {{ticket.url}}
{{/ticket.url}}

Ваша служба підтримки

"""#,
        "status-pending.de.html": #"""
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>für Ihre Anfrage {{ticket.tag}} brauchen wir Ihre Antwort{{#message}} auf die Frage oben{{/message}}. Antworten Sie einfach auf diese E-Mail, dann geht es sofort weiter.</p>
<p>Ihr Support-Team</p>
</body>
</html>

"""#,
        "status-pending.de.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},

für Ihre Anfrage {{ticket.tag}} brauchen wir Ihre Antwort{{#message}} auf die Frage oben{{/message}}. Antworten Sie einfach auf diese E-Mail, dann geht es sofort weiter.

Ihr Support-Team

"""#,
        "status-pending.en.html": #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Hello{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>your request {{ticket.tag}} is waiting for your answer{{#message}} to the question above{{/message}}. Simply reply to this mail; the ticket continues as soon as we hear from you.</p>
<p>Your support team</p>
</body>
</html>

"""#,
        "status-pending.en.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Hello{{#customer.name}} {{customer.name}}{{/customer.name}},

your request {{ticket.tag}} is waiting for your answer{{#message}} to the question above{{/message}}. Simply reply to this mail; the ticket continues as soon as we hear from you.

Your support team

"""#,
        "status-pending.ru.html": #"""
<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>По обращению {{ticket.tag}} мы ждём вашего ответа{{#message}} на вопрос выше{{/message}}. Просто ответьте на это письмо, и мы сразу продолжим работу.</p>
<p>Ваша служба поддержки</p>
</body>
</html>

"""#,
        "status-pending.ru.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!

По обращению {{ticket.tag}} мы ждём вашего ответа{{#message}} на вопрос выше{{/message}}. Просто ответьте на это письмо, и мы сразу продолжим работу.

Ваша служба поддержки

"""#,
        "status-pending.uk.html": #"""
<!DOCTYPE html>
<html lang="uk">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>У зверненні {{ticket.tag}} ми чекаємо на вашу відповідь{{#message}} на запитання вище{{/message}}. Просто дайте відповідь на цей лист, і ми одразу продовжимо роботу.</p>
<p>Ваша служба підтримки</p>
</body>
</html>

"""#,
        "status-pending.uk.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!

У зверненні {{ticket.tag}} ми чекаємо на вашу відповідь{{#message}} на запитання вище{{/message}}. Просто дайте відповідь на цей лист, і ми одразу продовжимо роботу.

Ваша служба підтримки

"""#,
        "status-resolved.de.html": #"""
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>wir betrachten Ihre Anfrage {{ticket.tag}} als gelöst. Falls noch etwas nicht stimmt, antworten Sie innerhalb von {{reopen.days}} Tagen auf diese E-Mail, dann öffnen wir die Anfrage wieder. Danach schreiben Sie uns bitte eine neue Nachricht.</p>
<p>Ihr Support-Team</p>
</body>
</html>

"""#,
        "status-resolved.de.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Guten Tag{{#customer.name}} {{customer.name}}{{/customer.name}},

wir betrachten Ihre Anfrage {{ticket.tag}} als gelöst. Falls noch etwas nicht stimmt, antworten Sie innerhalb von {{reopen.days}} Tagen auf diese E-Mail, dann öffnen wir die Anfrage wieder. Danach schreiben Sie uns bitte eine neue Nachricht.

Ihr Support-Team

"""#,
        "status-resolved.en.html": #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Hello{{#customer.name}} {{customer.name}}{{/customer.name}},</p>
<p>we consider your request {{ticket.tag}} solved. If something is still not right, reply to this mail within {{reopen.days}} days and the ticket opens again. After that, write to us as a new request.</p>
<p>Your support team</p>
</body>
</html>

"""#,
        "status-resolved.en.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Hello{{#customer.name}} {{customer.name}}{{/customer.name}},

we consider your request {{ticket.tag}} solved. If something is still not right, reply to this mail within {{reopen.days}} days and the ticket opens again. After that, write to us as a new request.

Your support team

"""#,
        "status-resolved.ru.html": #"""
<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Мы считаем ваше обращение {{ticket.tag}} решённым. Если что-то всё ещё не так, ответьте на это письмо в течение {{reopen.days}} дн., и обращение откроется снова. Позже просто напишите нам новое письмо.</p>
<p>Ваша служба поддержки</p>
</body>
</html>

"""#,
        "status-resolved.ru.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Здравствуйте{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Мы считаем ваше обращение {{ticket.tag}} решённым. Если что-то всё ещё не так, ответьте на это письмо в течение {{reopen.days}} дн., и обращение откроется снова. Позже просто напишите нам новое письмо.

Ваша служба поддержки

"""#,
        "status-resolved.uk.html": #"""
<!DOCTYPE html>
<html lang="uk">
<head>
<meta charset="utf-8">
<title>{{ticket.subject}}</title>
</head>
<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">
{{#message}}
<div style="white-space: pre-wrap">{{message.text}}</div>
<p>---</p>
{{/message}}
<p>Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!</p>
<p>Ми вважаємо ваше звернення {{ticket.tag}} вирішеним. Якщо щось досі не так, дайте відповідь на цей лист протягом {{reopen.days}} дн., і звернення відкриється знову. Пізніше просто напишіть нам новий лист.</p>
<p>Ваша служба підтримки</p>
</body>
</html>

"""#,
        "status-resolved.uk.txt": #"""
Subject: {{ticket.subject}}

{{#message}}
{{message.text}}

---
{{/message}}
Добрий день{{#customer.name}}, {{customer.name}}{{/customer.name}}!

Ми вважаємо ваше звернення {{ticket.tag}} вирішеним. Якщо щось досі не так, дайте відповідь на цей лист протягом {{reopen.days}} дн., і звернення відкриється знову. Пізніше просто напишіть нам новий лист.

Ваша служба підтримки

"""#,
        "urgent.de.txt": #"""
Subject: DRINGEND: {{ticket.subject}}

Die Anfrage {{ticket.tag}} in der Queue {{ticket.queue}} ist jetzt dringend{{#agent}} (zuständig: {{agent.name}}){{/agent}}.
Von {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, Status: {{ticket.status}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "urgent.en.txt": #"""
Subject: URGENT: {{ticket.subject}}

Ticket {{ticket.tag}} in queue {{ticket.queue}} is now urgent{{#agent}} (assigned to {{agent.name}}){{/agent}}.
From {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, status {{ticket.status}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "urgent.ru.txt": #"""
Subject: СРОЧНО: {{ticket.subject}}

Обращение {{ticket.tag}} в очереди {{ticket.queue}} стало срочным{{#agent}} (исполнитель: {{agent.name}}){{/agent}}.
От {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, статус: {{ticket.status}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
        "urgent.uk.txt": #"""
Subject: ТЕРМІНОВО: {{ticket.subject}}

Звернення {{ticket.tag}} у черзі {{ticket.queue}} стало терміновим{{#agent}} (виконавець: {{agent.name}}){{/agent}}.
Від {{#customer.name}}{{customer.name}} {{/customer.name}}<{{customer.email}}>, статус: {{ticket.status}}.{{#ticket.url}}
{{ticket.url}}{{/ticket.url}}
{{#message}}

{{message.text}}
{{/message}}

"""#,
    ]
}
