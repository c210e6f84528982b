/// The version recorded in every product's provenance and printed by `webbflow --version`.
public enum WebbflowVersion {
    public static let current = "0.1.0"
}
