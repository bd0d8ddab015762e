/// What is read from a person's full name.
public enum PersonName {
    /// The first name in a full name: the second word of a Russian «Фамилия Имя Отчество», otherwise the first.
    public static func first(of fullName: String) -> String {
        let words = fullName.split(whereSeparator: \.isWhitespace).map(String.init)
        return words.count == 3 ? words[1] : words.first ?? fullName
    }
}
