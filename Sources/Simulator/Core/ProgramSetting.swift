import Pipeline

extension OptionDeclaration {
    /// The program number a recipe writes in its file names, identity keywords and program-derived names.
    static func program(_ property: WritableKeyPath<Options, Int> & Sendable) -> Self {
        .integer("program", property, help: "program (proposal) number in file names and headers", range: 1...99999)
    }
}
