import Foundation

/// What customers of an ISP write to support, in Russian: the subjects and first messages the support benchmark opens
/// tickets with and seeds its million tickets from, and the operators' answers and customers' replies after them.
enum TicketCorpus {
    /// A subject with the category a customer would pick for it.
    struct Subject {
        let text: String
        let category: String
    }

    static let subjects: [Subject] = [
        Subject(text: "Нет интернета с утра", category: "no_connection"),
        Subject(text: "Роутер не раздаёт Wi-Fi", category: "equipment"),
        Subject(text: "Низкая скорость вечером", category: "slow_speed"),
        Subject(text: "Пропадает соединение каждые полчаса", category: "no_connection"),
        Subject(text: "Не прошла оплата картой", category: "billing"),
        Subject(text: "Списали деньги дважды", category: "billing"),
        Subject(text: "Хочу сменить тариф", category: "billing"),
        Subject(text: "Подключить интернет в новой квартире", category: "connection_request"),
        Subject(text: "Мигает красная лампочка на роутере", category: "equipment"),
        Subject(text: "Не открываются некоторые сайты", category: "other"),
        Subject(text: "Скорость ниже заявленной по тарифу", category: "slow_speed"),
        Subject(text: "Оборван кабель в подъезде", category: "no_connection"),
        Subject(text: "Вопрос по счёту за ноябрь", category: "billing"),
        Subject(text: "Не работает IPTV", category: "other"),
        Subject(text: "Просим перенести подключение на субботу", category: "connection_request"),
        Subject(text: "Роутер перезагружается сам", category: "equipment"),
    ]

    /// First messages: what happened, in a customer's words.
    static let messages: [String] = [
        "Добрый день! С утра нет интернета, роутер перезагружал, кабель проверил. Лампочка WAN не горит.",
        "Вечером скорость падает до 5 Мбит/с, хотя по тарифу 100. Измерял через кабель, не по Wi-Fi.",
        "Оплатил картой через личный кабинет, деньги списались, а на балансе ничего не появилось.",
        "Соединение пропадает примерно каждые полчаса на пару минут, особенно когда смотрим фильмы.",
        "Роутер мигает красным, Wi-Fi сеть видна, но интернета нет. Что делать?",
        "В подъезде меняли трубы и, похоже, оборвали кабель. У соседей тоже не работает.",
        "Хочу перейти на тариф подороже со следующего месяца, подскажите, как это сделать.",
        "Переехали в новую квартиру на соседней улице, нужно перенести договор и подключение.",
        "Не открываются сайты банка и госуслуг, остальное работает. Пробовал другой браузер.",
        "Пришёл счёт больше обычного, не понимаю, за что начислена доплата. Прошу разобраться.",
        "Телевидение зависает и показывает чёрный экран, приставку перезагружали несколько раз.",
        "Роутер сам перезагружается несколько раз в день, индикаторы гаснут и загораются снова.",
    ]

    /// Operators' answers.
    static let answers: [String] = [
        "Здравствуйте! Видим обрыв на линии, бригада уже выехала, ориентировочно восстановим к вечеру.",
        "Добрый день! Проверили порт, перезапустили сессию. Перезагрузите, пожалуйста, роутер и напишите, помогло ли.",
        "Платёж нашли, он зачислен на ваш счёт. Приносим извинения за задержку.",
        "Подскажите, пожалуйста, модель роутера и номер договора, чтобы мы проверили настройки.",
        "Смена тарифа оформлена, новый тариф начнёт действовать с первого числа следующего месяца.",
    ]

    /// Customers' replies after an answer.
    static let replies: [String] = [
        "Спасибо, всё заработало!",
        "Перезагрузил роутер, интернет появился, но скорость всё ещё низкая.",
        "Модель роутера TP-Link Archer C6, номер договора указан в личном кабинете.",
        "Проблема повторилась сегодня вечером, прошу проверить ещё раз.",
    ]

    /// Words an operator searches for; each occurs in the corpus (as this form or another form of it).
    static let searchWords = ["роутер", "оплата", "скорость", "кабель", "тариф", "телевидение", "подключение", "счёт"]

    /// A SQL array literal of `texts` (single quotes doubled), for the seeding statements.
    static func sqlArray(_ texts: [String]) -> String {
        "ARRAY[" + texts.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ", ") + "]"
    }
}
