import Foundation

/// Turns text from headers (PROGRAM, TARGNAME…) into a single safe path component: no separators, no `..`,
/// no control characters, bounded length. Nothing read from a file ever becomes a path without passing here.
public enum SafeName {
    public static let maximumLength = 120

    public static func component(_ text: String, fallback: String = "unknown") -> String {
        let allowed = text.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return (c.isASCII && (c.isLetter || c.isNumber)) || c == "-" || c == "_" || c == "." || c == "+" ? c : "_"
        }
        var name = String(allowed)
        while name.hasPrefix(".") { name.removeFirst() }
        name = name.replacingOccurrences(of: "..", with: "_")
        if name.count > maximumLength { name = String(name.prefix(maximumLength)) }
        return name.isEmpty ? fallback : name
    }
}
