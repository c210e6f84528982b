import FITS
import Foundation
import Fusion
import Logging
import Pipeline
import Simulator
import TestSupport
import Testing

/// The fused cube and the simulated input cube in the JWST Python stack (`Tests/Interop/s3d_checks.py`): written
/// and read back as `webbflow simulate fusion-pair` and `webbflow process` do it.
@Suite(.serialized) struct FusionInteropTests {
    /// Simulates the pair into `folder`, loads it back and writes the fused product there; returns its path.
    static func fuseOnDisk(_ folder: TemporaryDirectory) async throws -> String {
        let paths = try SimulationWriter.write(try FusionFixture.files(), to: folder.path)
        let inputs = try paths.filter { !$0.hasSuffix("_truth.fits") }.map { try Exposure.load($0) }
        let step = SyFuStep()
        let parameters = try step.manifest.values()
        let products = try await step.run(inputs, parameters: parameters, context: StepContext(logger: Logger(label: "test")))
        let product = try ProductWriter(directory: folder.path).write(
            products[0], step: step.manifest, parameters: parameters, inputs: inputs)
        return product
    }

    /// The JSON report of `s3d_checks.py` on `path`; nil when the interop environment is missing.
    static func check(_ path: String, _ extra: [String] = []) throws -> [String: Any]? {
        guard let run = try InteropPython.run("s3d_checks.py", [path] + extra) else { return nil }
        let line = run.output.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            Issue.record("s3d_checks.py gave no report: \(run)")
            return nil
        }
        return object
    }

    @Test func fusedCubeOpensInDatamodelsSpecutilsAndCubeviz() async throws {
        if let missing = InteropPython.unavailable {
            if missing.required { Issue.record("\(missing.reason)") }
            return
        }
        let folder = try TemporaryDirectory("fusion-interop")
        let productPath = try await Self.fuseOnDisk(folder)
        guard let report = try Self.check(productPath) else { return }
        let written = try Exposure.load(productPath)

        let model = report["model"] as? [String: Any] ?? [:]
        #expect(model["error"] == nil, "datamodels: \(model)")
        #expect(model["class"] as? String == "IFUCubeModel")
        #expect((model["warnings"] as? [String])?.isEmpty == true, "validate() warned: \(model["warnings"] ?? "")")
        let equal = model["equal"] as? [String: Bool] ?? [:]
        #expect(Set(equal.keys) == ["SCI", "ERR", "DQ", "WMAP"] && equal.values.allSatisfy { $0 }, "read back: \(equal)")
        #expect(model["dtypes"] as? [String: String] == ["SCI": "float32", "ERR": "float32", "DQ": "uint32", "WMAP": "float32"])
        // The sums astropy reads equal the arrays Webbflow wrote (float64 sums of float32 values: 1e-9 relative).
        let sums = model["sums"] as? [String: Double] ?? [:]
        for name in ["SCI", "ERR", "DQ", "WMAP"] {
            let values = written.hdu(name)!.image!.floats().pixels.map(Double.init).filter(\.isFinite)
            let sum = values.reduce(0, +)
            #expect(abs((sums[name] ?? .nan) - sum) <= 1e-9 * max(abs(sum), 1), "\(name): python \(sums[name] ?? .nan), swift \(sum)")
        }
        #expect(model["filename"] as? String == (productPath as NSString).lastPathComponent)

        let wavelengths = try SpectralAxis.wavelengths(science: written.hdu("SCI")!.header, hdus: written.hdus, planes: 150)
        let spectral = model["spectral"] as? [String: Any] ?? [:]
        #expect(spectral["ctype3"] as? String == "WAVE" && spectral["cunit3"] as? String == "um")
        #expect(abs((spectral["first"] as? Double ?? 0) - wavelengths[0]) < 1e-9)
        #expect(abs((spectral["last"] as? Double ?? 0) - wavelengths[149]) < 1e-9)

        let spectrum = report["specutils"] as? [String: Any] ?? [:]
        #expect(spectrum["error"] == nil, "specutils: \(spectrum)")
        #expect((spectrum["formats"] as? [String])?.contains("JWST s3d") == true, "identified as \(spectrum["formats"] ?? "")")
        #expect(spectrum["unit"] as? String == "um")
        // The spectral axis in µm to float32 precision (specutils evaluates the WCS in single precision for some paths).
        #expect(abs((spectrum["first"] as? Double ?? 0) - wavelengths[0]) < 1e-6)
        #expect(abs((spectrum["last"] as? Double ?? 0) - wavelengths[149]) < 1e-6)
        #expect(spectrum["has_uncertainty"] as? Bool == true)

        let cubeviz = report["cubeviz"] as? [String: Any] ?? [:]
        #expect(cubeviz["error"] == nil, "Cubeviz: \(cubeviz)")
    }

    @Test func simulatedInputCubeOpensAsIFUCubeModel() throws {
        if let missing = InteropPython.unavailable {
            if missing.required { Issue.record("\(missing.reason)") }
            return
        }
        let folder = try TemporaryDirectory("fusion-input")
        let paths = try SimulationWriter.write(Array(try FusionFixture.files().prefix(1)), to: folder.path)
        guard let report = try Self.check(paths[0], ["--model-only"]) else { return }
        let model = report["model"] as? [String: Any] ?? [:]
        #expect(model["error"] == nil, "datamodels: \(model)")
        #expect(model["class"] as? String == "IFUCubeModel")
        #expect((model["warnings"] as? [String])?.isEmpty == true, "validate() warned: \(model["warnings"] ?? "")")
        let spectral = model["spectral"] as? [String: Any] ?? [:]
        #expect(spectral["ctype3"] as? String == "WAVE")
        #expect(abs((spectral["first"] as? Double ?? 0) - 1.66) < 1e-6 && abs((spectral["last"] as? Double ?? 0) - 2.30) < 1e-6)
    }
}
