/// Two different inputs would write the same product path: the second is refused rather than overwriting the first
/// one's product. Renaming one input (or removing the first product and retrying) resolves it.
struct ProductConflict: Error, CustomStringConvertible {
    let product: String
    let writtenFrom: [String]
    let refused: [String]

    var description: String {
        "product name conflict: \(product) was already made from \(writtenFrom.joined(separator: ", ")); "
            + "\(refused.joined(separator: ", ")) would overwrite it, so it is not processed (rename one of the inputs, then `webbflow retry` it)"
    }
}
