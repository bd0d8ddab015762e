import Foundation

/// The name an attachment is downloaded under, made from the customer's file name.
///
/// The customer's name is only a label: the type comes from the content, and the name is cleaned so that it names
/// one file and nothing else: the last component of any path (`/` or `\`), without control or invisible formatting
/// characters (a right-to-left override could show `exe.jpg` as `gpj.exe`), without the characters Windows refuses,
/// without leading or trailing dots and spaces, at most ``maximumLength`` characters and ``maximumBytes`` bytes of
/// UTF-8, and ending in an extension of its sniffed type (`report.exe` sniffed as text becomes `report.exe.txt`).
public enum AttachmentFileName {
    /// The most characters in a name, extension included.
    public static let maximumLength = 100
    /// The most UTF-8 bytes in a name, extension included (file systems allow 255).
    public static let maximumBytes = 200
    /// The name used when the customer's has nothing left.
    public static let fallbackStem = "attachment"

    /// The customer's `name` (or none) cleaned for a file of `type`.
    public static func sanitized(_ name: String?, as type: AttachmentType) -> String {
        let cleaned = clean(lastComponent(of: name ?? ""))
        var stem = cleaned
        var fileExtension = type.fileExtension
        if let dot = cleaned.lastIndex(of: "."), type.knownExtensions.contains(cleaned[cleaned.index(after: dot)...].lowercased()) {
            stem = String(cleaned[..<dot])
            fileExtension = String(cleaned[cleaned.index(after: dot)...])
        }
        stem = trimmed(
            truncated(stem, characters: maximumLength - fileExtension.count - 1, bytes: maximumBytes - fileExtension.utf8.count - 1))
        return (stem.isEmpty ? fallbackStem : stem) + "." + fileExtension
    }

    private static func lastComponent(of name: String) -> Substring {
        guard let separator = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) else { return name[...] }
        return name[name.index(after: separator)...]
    }

    /// White space as single spaces, without control and formatting characters (but for the zero-width joiners),
    /// Windows' reserved ones as `_`, and trimmed.
    private static func clean(_ name: Substring) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in String(name).precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            switch scalar.properties.generalCategory {
            case .format where scalar.value == 0x200C || scalar.value == 0x200D:
                break  // The joiners some scripts and emoji need.
            case .control, .format, .surrogate, .privateUse, .unassigned:
                continue
            default:
                break
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append("\"*:<>?|".unicodeScalars.contains(scalar) ? "_" : scalar)
        }
        return trimmed(String(scalars))
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
    }

    /// The longest prefix of `text` (whole characters) within both limits.
    private static func truncated(_ text: String, characters: Int, bytes: Int) -> String {
        var result = ""
        var byteCount = 0
        for character in text.prefix(characters) {
            byteCount += character.utf8.count
            guard byteCount <= bytes else { break }
            result.append(character)
        }
        return result
    }
}
