import Foundation

/// The data folder beside the project (`../shared/data`: real JWST samples, NSClean masks, NIRCam throughputs),
/// which a clean clone on a CI machine does not have: tests that need it skip without it.
public enum SharedData {
    public static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data").standardized.path

    /// The path of `relative` inside the folder.
    public static func file(_ relative: String) -> String { "\(path)/\(relative)" }
}
