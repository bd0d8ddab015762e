/// The texts every kind of notification has until an operator changes them: Russian first, English second.
enum DefaultTemplates {
    /// By kind, then by language.
    static let all: [String: [String: NotificationTemplate]] = [
        "invoice.created": [
            "ru": .init(
                title: "Счёт № {{number}} на {{total}}", body: "Выставлен счёт № {{number}} на {{total}}. Оплатите до {{due_on}}.",
                email:
                    "Здравствуйте, {{first_name}}!\n\nВыставлен счёт № {{number}} на {{total}}. Оплатите его до {{due_on}}, чтобы связь работала без перерыва.\n\nСчёт и способы оплаты — в личном кабинете.",
                action: "Открыть счёт"),
            "en": .init(
                title: "Invoice {{number}} for {{total}}", body: "Invoice {{number}} for {{total}} is issued. Please pay by {{due_on}}.",
                email:
                    "Hello {{first_name}},\n\nInvoice {{number}} for {{total}} is issued. Please pay it by {{due_on}} to keep your connection running.\n\nThe invoice and ways to pay are in your account.",
                action: "Open the invoice"),
        ],
        "invoice.overdue": [
            "ru": .init(
                title: "Счёт не оплачен", body: "Срок оплаты {{due_on}} прошёл: к оплате {{amount}}. Оплатите, чтобы связь не отключилась.",
                action: "Оплатить"),
            "en": .init(
                title: "Invoice overdue", body: "The due day {{due_on}} has passed: {{amount}} is due. Please pay to keep your connection.",
                action: "Pay now"),
        ],
        "autopay.scheduled": [
            "ru": .init(title: "Скоро автоплатёж", body: "{{charge_at}} спишем {{amount}} с {{method}}.", action: "Настройки автоплатежа"),
            "en": .init(title: "Autopay soon", body: "On {{charge_at}} we will charge {{amount}} to {{method}}.", action: "Autopay settings"),
        ],
        "autopay.failed": [
            "ru": .init(title: "Автоплатёж не прошёл", body: "Не удалось списать {{amount}}: {{reason}}. Оплатите вручную.", action: "Оплатить"),
            "en": .init(title: "Autopay failed", body: "We could not charge {{amount}}: {{reason}}. Please pay by hand.", action: "Pay now"),
        ],
        "payment.succeeded": [
            "ru": .init(title: "Платёж получен", body: "Зачислено {{amount}}. Спасибо!"),
            "en": .init(title: "Payment received", body: "{{amount}} received. Thank you!"),
        ],
        "payment.failed": [
            "ru": .init(title: "Платёж не прошёл", body: "Платёж на {{amount}} не прошёл. Попробуйте ещё раз или выберите другой способ."),
            "en": .init(title: "Payment failed", body: "The payment of {{amount}} did not go through. Please try again or choose another way."),
        ],
        "payment.refunded": [
            "ru": .init(title: "Возврат платежа", body: "Возвращено {{amount}}. Деньги придут на карту в течение нескольких дней."),
            "en": .init(title: "Payment refunded", body: "{{amount}} refunded. The money reaches your card within a few days."),
        ],
        "subscription.suspended": [
            "ru": .init(
                title: "Связь приостановлена", body: "Связь приостановлена: на счёте {{balance}}. Пополните баланс, и она включится сама.",
                action: "Пополнить баланс"),
            "en": .init(
                title: "Service suspended", body: "Your service is suspended: the balance is {{balance}}. Top up and it resumes by itself.",
                action: "Top up"),
        ],
        "subscription.resumed": [
            "ru": .init(title: "Связь восстановлена", body: "Оплата поступила, связь снова работает."),
            "en": .init(title: "Service resumed", body: "Payment received: your service is back on."),
        ],
        "promised_payment.taken": [
            "ru": .init(title: "Обещанный платёж", body: "Подключён обещанный платёж {{amount}} до {{expires_at}}. Не забудьте пополнить баланс."),
            "en": .init(title: "Promised payment", body: "A promised payment of {{amount}} is on until {{expires_at}}. Remember to top up."),
        ],
        "promised_payment.expired": [
            "ru": .init(title: "Обещанный платёж закончился", body: "Срок обещанного платежа {{amount}} истёк. Пополните баланс."),
            "en": .init(title: "Promised payment ended", body: "Your promised payment of {{amount}} has ended. Please top up."),
        ],
        "ticket.created": [
            "ru": .init(
                title: "Обращение № {{number}} принято", body: "Мы получили обращение № {{number}} «{{subject}}» и скоро ответим.",
                action: "Открыть обращение"),
            "en": .init(
                title: "Request {{number}} received", body: "We received your request {{number}} “{{subject}}” and will answer soon.",
                action: "Open the request"),
        ],
        "ticket.reply": [
            "ru": .init(title: "Ответ по обращению № {{number}}", body: "Поддержка ответила по обращению № {{number}}.", action: "Прочитать ответ"),
            "en": .init(title: "Reply to request {{number}}", body: "Support replied to your request {{number}}.", action: "Read the reply"),
        ],
        "ticket.waiting": [
            "ru": .init(
                title: "Нужен ваш ответ по № {{number}}", body: "Поддержка ждёт вашего ответа по обращению № {{number}}.",
                action: "Ответить"),
            "en": .init(
                title: "Your reply is needed on {{number}}", body: "Support is waiting for your reply on request {{number}}.", action: "Reply"),
        ],
        "ticket.resolved": [
            "ru": .init(
                title: "Обращение № {{number}} решено", body: "Обращение № {{number}} решено. Если проблема осталась, просто ответьте.",
                email:
                    "Здравствуйте, {{first_name}}!\n\nОбращение № {{number}} решено. Если проблема осталась, ответьте в обращении — оно откроется снова.{{#rating_url}}\n\nОцените, пожалуйста, нашу работу: {{rating_url}}{{/rating_url}}",
                action: "Открыть обращение"),
            "en": .init(
                title: "Request {{number}} resolved", body: "Request {{number}} is resolved. If the problem remains, just reply.",
                email:
                    "Hello {{first_name}},\n\nRequest {{number}} is resolved. If the problem remains, reply in the request and it opens again.{{#rating_url}}\n\nPlease rate our work: {{rating_url}}{{/rating_url}}",
                action: "Open the request"),
        ],
        "ticket.assigned.operator": [
            "ru": .init(title: "Вам назначено обращение № {{number}}", body: "Обращение № {{number}} назначено вам.", action: "Открыть"),
            "en": .init(title: "Ticket {{number}} assigned to you", body: "Ticket {{number}} is assigned to you.", action: "Open"),
        ],
        "ticket.reply.operator": [
            "ru": .init(title: "Клиент ответил по № {{number}}", body: "Клиент ответил по обращению № {{number}}.", action: "Открыть"),
            "en": .init(title: "Customer replied on {{number}}", body: "The customer replied on ticket {{number}}.", action: "Open"),
        ],
        "auth.password_reset": [
            "ru": .init(
                title: "Сброс пароля", body: "Чтобы задать новый пароль, откройте ссылку до {{expires_at}}: {{url}}",
                email:
                    "Здравствуйте!\n\nКто-то, возможно вы, попросил сбросить пароль. Ссылка действует до {{expires_at}}.\n\nЕсли это были не вы, ничего не делайте: пароль останется прежним.",
                action: "Задать новый пароль"),
            "en": .init(
                title: "Password reset", body: "To set a new password, open this link by {{expires_at}}: {{url}}",
                email:
                    "Hello,\n\nSomeone, perhaps you, asked to reset your password. The link works until {{expires_at}}.\n\nIf it was not you, do nothing: your password stays as it is.",
                action: "Set a new password"),
        ],
        "auth.new_device": [
            "ru": .init(
                title: "Вход с нового устройства",
                body: "{{at}} выполнен вход с устройства «{{device}}» (адрес {{ip}}). Если это не вы, смените пароль.",
                action: "Мои сеансы"),
            "en": .init(
                title: "Sign-in from a new device",
                body: "On {{at}} someone signed in from “{{device}}” ({{ip}}). If it was not you, change your password.",
                action: "My sessions"),
        ],
        "auth.refresh_reuse": [
            "ru": .init(
                title: "Подозрительный вход", body: "Сеанс завершён: с адреса {{ip}} использован старый ключ входа. Если это не вы, смените пароль.",
                action: "Мои сеансы"),
            "en": .init(
                title: "Suspicious sign-in",
                body: "A session was ended: an old sign-in key was used from {{ip}}. If it was not you, change your password.",
                action: "My sessions"),
        ],
    ]
}
