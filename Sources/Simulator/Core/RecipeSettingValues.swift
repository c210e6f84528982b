import Pipeline

/// Typed reads of a recipe's resolved settings. Every setting has a value of its declared type (`ParameterValues`
/// resolves them from the recipe's own specs), so a miss is a recipe naming a setting it did not declare: a
/// programming error, stopped deterministically in every build.
extension ParameterValues {
    func integer(_ name: String) -> Int {
        if case .integer(let i)? = self[name] { return i }
        fatalError("recipe setting \(name) is not a declared integer")
    }

    func real(_ name: String) -> Double {
        switch self[name] {
        case .real(let d)?: return d
        case .integer(let i)?: return Double(i)
        default: fatalError("recipe setting \(name) is not a declared number")
        }
    }

    func logical(_ name: String) -> Bool {
        if case .logical(let b)? = self[name] { return b }
        fatalError("recipe setting \(name) is not a declared logical")
    }

    func text(_ name: String) -> String {
        if case .text(let s)? = self[name] { return s }
        fatalError("recipe setting \(name) is not declared text")
    }
}
