import FITS
import Foundation
import Pipeline
import Simulator
import TestSupport
import Testing

/// The shared NRCB1 throughput table of `filter` (the simulator's instrument), nil when the data folder is absent.
private func throughput(_ filter: String) -> [(Double, Double)]? {
    let path = SharedData.file("nircam-throughputs/NRCB1_\(filter)_system_throughput.txt")
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return text.split(separator: "\n").dropFirst().compactMap { line in
        let p = line.split(separator: " ")
        guard p.count == 2, let w = Double(p[0]), let t = Double(p[1]) else { return nil }
        return (w, t)
    }
}

@Suite(.serialized) struct FusionPairTests {
    let files: [SimulatedFile]
    init() throws { files = try FusionPairRecipe().generate(seed: 11, assignments: ["spaxels=12", "channels=300", "bad_spaxels=0"]) }

    @Test func producesOneCubeAndOneImagePerFilterThatClassifyForFusion() {
        #expect(files.count == 6)
        #expect(files[0].exposure.kind.instrument == "NIRSPEC" && files[0].exposure.kind.suffix == "s3d")
        #expect(files[0].exposure.kind.grating == "G235H" && files[0].exposure.kind.exposureType == "NRS_IFU")
        #expect(files.dropFirst().allSatisfy { $0.exposure.kind.exposureType == "NRC_IMAGE" && $0.exposure.kind.suffix == "i2d" })
        #expect(files.dropFirst().map(\.exposure.kind.filter) == ["F182M", "F187N", "F200W", "F210M", "F212N"])
    }

    /// The two instruments agree through the throughputs: the mean of each image over the cube's field equals
    /// the photon-weighted band average of the cube's mean spectrum, times the simulated 1.05 mismatch.
    @Test func imagesAgreeWithTheCubeThroughTheThroughputs() throws {
        let cubeHDU = files[0].exposure.hdu("SCI")!
        let cube = cubeHDU.image!.floats()
        let (w, h, planes) = (cube.axes[0], cube.axes[1], cube.axes[2])
        let wavelengths = try SpectralAxis.wavelengths(science: cubeHDU.header, hdus: files[0].exposure.hdus, planes: planes)
        let meanSpectrum = (0..<planes).map { l in (0..<(w * h)).reduce(0.0) { $0 + Double(cube.pixels[l * w * h + $1]) } / Double(w * h) }
        let cubeWCS = try CelestialWCS(header: cubeHDU.header)
        var centres: [(x: Double, y: Double)] = []
        for j in 0..<h { for i in 0..<w { centres.append((Double(i), Double(j))) } }
        let sky = try cubeWCS.world(pixels: centres)
        for file in files.dropFirst() {
            guard let table = throughput(file.exposure.kind.filter) else { return }
            let sci = file.exposure.hdu("SCI")!
            let image = sci.image!.floats()
            let positions = try CelestialWCS(header: sci.header).pixels(world: sky)
            // Nearest image pixel to each spaxel centre: the average over the field is what matters.
            let imageMean = positions.reduce(0.0) { $0 + Double(image[Int($1.x.rounded()), Int($1.y.rounded())]) } / Double(positions.count)
            var num = 0.0, den = 0.0
            for (l, lambda) in wavelengths.enumerated() {
                let t = table.min { abs($0.0 - lambda) < abs($1.0 - lambda) }!
                guard abs(t.0 - lambda) < 0.001 else { continue }
                num += t.1 / lambda * meanSpectrum[l]
                den += t.1 / lambda
            }
            let predicted = 1.05 * num / den
            // 3 %: the cube samples narrow lines at 300 channels while NIRCam integrates them on a fine grid,
            // and the PSFs move a little flux across the field's edge differently for the two instruments.
            #expect(abs(imageMean / predicted - 1) < 0.03, "\(file.exposure.kind.filter): image \(imageMean), cube \(predicted)")
        }
    }

    @Test func noiseMatchesTheErrorArrays() {
        let cube = files[0].exposure.hdu("SCI")!.image!.floats().pixels
        let noiseless = files[0].truthImage("NOISELESS")!.pixels
        let err = files[0].exposure.hdu("ERR")!.image!.floats().pixels
        var sum = 0.0
        for i in 0..<cube.count { sum += Double(cube[i] - noiseless[i]) * Double(cube[i] - noiseless[i]) }
        let measured = (sum / Double(cube.count)).squareRoot()
        // 43 200 samples: the standard deviation is known to 0.4 %; allow 2 %.
        #expect(abs(measured / Double(err[0]) - 1) < 0.02)
        let image = files[1].exposure.hdu("SCI")!.image!.floats().pixels
        let clean = files[1].truthImage("NOISELESS")!.pixels
        let imageErr = Double(files[1].exposure.hdu("ERR")!.image!.floats().pixels[0])
        var s2 = 0.0
        for i in 0..<image.count { s2 += Double(image[i] - clean[i]) * Double(image[i] - clean[i]) }
        #expect(abs((s2 / Double(image.count)).squareRoot() / imageErr - 1) < 0.05)
    }

    @Test func truthCarriesTheFluxOfTheNoiselessCube() {
        // Per channel, the truth on the fused grid and the noiseless cube (PSF-convolved) have the same mean up
        // to the flux the PSF moves across the field's edge (the scene is not zero there): under 2 %.
        let truth = files[0].truthImage("TRUTH")!
        let noiseless = files[0].truthImage("NOISELESS")!
        let finePlane = truth.axes[0] * truth.axes[1], plane = noiseless.axes[0] * noiseless.axes[1]
        for l in stride(from: 0, to: truth.axes[2], by: 37) {
            let a = (0..<finePlane).reduce(0.0) { $0 + Double(truth.pixels[l * finePlane + $1]) } / Double(finePlane)
            let b = (0..<plane).reduce(0.0) { $0 + Double(noiseless.pixels[l * plane + $1]) } / Double(plane)
            #expect(abs(a / b - 1) < 0.02, "channel \(l): truth \(a), cube \(b)")
        }
    }

    @Test func sameSeedGivesTheSameData() throws {
        let again = try FusionPairRecipe().generate(seed: 11, assignments: ["spaxels=12", "channels=300", "bad_spaxels=0"])
        for (a, b) in zip(files, again) { #expect(a.exposure.hdus == b.exposure.hdus) }
    }

    @Test func filesPassFitsverify() throws {
        let folder = try TemporaryDirectory("fusion-pair")
        let paths = try SimulationWriter.write(Array(files.prefix(2)), to: folder.path)
        for path in paths {
            guard let report = ExternalTool.run("fitsverify", ["-q", path]) else { return }
            #expect(report.output.contains("verification OK"), "\(report)")
        }
    }

    @Test func cubeIsInJwst3LayoutByDefaultAndWaveTabOnRequest() throws {
        let sci = files[0].exposure.hdu("SCI")!.header
        #expect(sci.string("CTYPE3") == "WAVE" && sci.string("CUNIT3") == "um" && sci["PS3_0"] == nil)
        #expect(sci.real("CRVAL3") == 1.66 && abs(sci.real("CDELT3")! - 0.64 / 299) < 1e-15)
        let table = files[0].exposure.hdu("WCS-TABLE")!
        #expect(table.table!.columns.map(\.name) == ["wavelength"] && table.header.string("TDIM1") == "(1,300)")
        #expect(["SCI", "ERR", "DQ", "WMAP"].allSatisfy { files[0].exposure.hdu($0)?.image?.axes == [12, 12, 300] })

        let older = try FusionPairRecipe().generate(
            seed: 11, assignments: ["spaxels=12", "channels=300", "bad_spaxels=0", "s3d_layout=wavetab"])
        let olderSCI = older[0].exposure.hdu("SCI")!.header
        #expect(
            olderSCI.string("CTYPE3") == "WAVE-TAB" && olderSCI.string("PS3_0") == "WCS-TABLE" && olderSCI.string("PS3_1") == "wavelength")
        #expect(older[0].exposure.hdu("WCS-TABLE")!.table!.columns.map(\.name) == ["nelem", "wavelength"])
        // Both layouts give the same wavelengths, to the float32 precision of the table (2.4e-7 µm at 2.3 µm).
        let a = try SpectralAxis.wavelengths(science: sci, hdus: files[0].exposure.hdus, planes: 300)
        let b = try SpectralAxis.wavelengths(science: olderSCI, hdus: older[0].exposure.hdus, planes: 300)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 2.4e-7 })
        // The noise alone can be redrawn: another noise seed leaves the scene (truth) and changes the data.
        let redrawn = try FusionPairRecipe().generate(
            seed: 11, assignments: ["spaxels=12", "channels=300", "bad_spaxels=0", "noise_seed=5"])
        #expect(redrawn[0].truth == files[0].truth)
        #expect(redrawn[0].exposure.hdu("SCI") != files[0].exposure.hdu("SCI"))
    }

    @Test func unknownFilterIsRefusedWithTheValidList() {
        #expect(throws: ParameterError.self) { try FusionPairRecipe().generate(seed: 1, assignments: ["filters=F999X"]) }
    }
}
