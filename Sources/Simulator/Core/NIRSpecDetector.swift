/// The two NIRSpec detectors a recipe can write for.
public enum NIRSpecDetector: String, Sendable, CaseIterable {
    case NRS1
    case NRS2
}
