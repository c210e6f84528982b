import FITS
import Foundation
import Logging
import Pipeline
import Simulator
import Testing

@testable import Fusion

/// The fused product's layout: jwst 3.0's IFUCubeModel extensions and keywords, whichever layout the input cube used.
@Suite(.serialized) struct FusedProductLayoutTests {
    static func fuse(_ settings: [String] = []) async throws -> (files: [SimulatedFile], product: Product) {
        let files = try FusionFixture.files(settings)
        let step = SyFuStep()
        let products = try await step.run(
            files.map(\.exposure), parameters: try step.manifest.values(),
            context: StepContext(logger: Logger(label: "test")))
        return (files, products[0])
    }

    @Test func productHasIFUCubeModelExtensionsAndKeywords() async throws {
        let (files, product) = try await Self.fuse()
        let hdus = product.hdus
        #expect(hdus.dropFirst().prefix(6).map(\.name) == ["SCI", "ERR", "DQ", "WMAP", "WCS-TABLE", "HDRTAB"])
        let primary = hdus[0].header
        #expect(primary.string("FILENAME") == product.fileName)
        #expect(primary.string("DATAMODL") == "IFUCubeModel")
        #expect(
            [primary.string("FLUXEXT"), primary.string("ERREXT"), primary.string("ERRTYPE"), primary.string("MASKEXT")] == [
                "SCI", "ERR", "ERR", "DQ",
            ])
        #expect(hdus.hdu(named: "SCI")!.header.string("BUNIT") == "MJy/sr" && hdus.hdu(named: "ERR")!.header.string("BUNIT") == "MJy/sr")
        guard case .float32 = hdus.hdu(named: "ERR")!.image!, case .uint32 = hdus.hdu(named: "DQ")!.image!,
            case .float32 = hdus.hdu(named: "WMAP")!.image!
        else {
            Issue.record("ERR, DQ, WMAP are not float32, uint32, float32"); return
        }
        // A linear grid (1.66-2.30 µm in 150 channels) is a WAVE axis.
        let sci = hdus.hdu(named: "SCI")!.header
        #expect(sci.string("CTYPE3") == "WAVE" && sci.string("CUNIT3") == "um" && sci["PS3_0"] == nil)
        #expect(abs(sci.real("CRVAL3")! - 1.66) < 1e-12 && abs(sci.real("CDELT3")! - 0.64 / 149) < 1e-15 && sci.real("CRPIX3") == 1)
        let table = hdus.hdu(named: "WCS-TABLE")!
        #expect(table.header.string("TDIM1") == "(1,150)")
        #expect(table.table!["wavelength"]!.repeatCount == 150)
        // The members: the cube, then the five images, by file name.
        let members = hdus.hdu(named: "HDRTAB")!.table!
        guard case .string(let names, _) = members["FILENAME"]!.data else { Issue.record("FILENAME is not text"); return }
        #expect(names == files.map(\.exposure.name.fileName))
    }

    @Test func dqAndWmapSayWhatWasMeasured() async throws {
        let (files, product) = try await Self.fuse()
        let cube = files[0].exposure
        let cubeDQ = cube.hdu("DQ")!.image!.unsigned32()
        let (w, h, planes) = (cubeDQ.axes[0], cubeDQ.axes[1], cubeDQ.axes[2])
        let bad = Set((0..<(w * h)).filter { cubeDQ.pixels[$0] & DataQuality.doNotUse.rawValue != 0 })
        #expect(bad.count == 3)
        let wavelengths = try SpectralAxis.wavelengths(science: cube.hdu("SCI")!.header, hdus: cube.hdus, planes: planes)
        let bands = files.dropFirst().map { NIRCamThroughput(filter: $0.exposure.kind.filter)!.halfPowerBand }
        let dq = product.hdus.hdu(named: "DQ")!.image!.unsigned32().pixels
        let wmap = product.hdus.hdu(named: "WMAP")!.image!.floats().pixels
        let err = product.hdus.hdu(named: "ERR")!.image!.floats().pixels
        let fw = 3 * w, finePlane = 9 * w * h
        for l in stride(from: 0, to: planes, by: 7) {
            let inBand = Float(bands.filter { $0.contains(wavelengths[l]) }.count)
            for y in 0..<(3 * h) {
                for x in 0..<fw {
                    let v = l * finePlane + y * fw + x
                    let empty = bad.contains((y / 3) * w + x / 3)
                    // The images cover the whole field: no voxel lacks data, the empty spaxels' are estimated.
                    #expect(dq[v] == (empty ? DataQuality.fluxEstimated.rawValue : 0))
                    #expect(wmap[v] == inBand + (empty ? 0 : 1))
                    #expect(err[v].isFinite && err[v] > 0)
                }
            }
        }
    }

    @Test func olderWaveTabInputGivesTheSameFusedCube() async throws {
        let current = try await Self.fuse()
        let older = try await Self.fuse(["s3d_layout=wavetab"])
        #expect(older.files[0].exposure.hdu("SCI")!.header.string("CTYPE3") == "WAVE-TAB")
        #expect(older.files[0].exposure.hdu("WCS-TABLE")!.table!["nelem"] != nil)
        // The older layout stores the wavelengths as float32 (2.4e-7 µm steps at 2.3 µm): still a linear grid.
        let sci = older.product.hdus.hdu(named: "SCI")!.header
        #expect(sci.string("CTYPE3") == "WAVE" && abs(sci.real("CRVAL3")! - 1.66) < 2.4e-7)
        // Same data; the wavelengths differ by float32 rounding only, which moves the filter responses by ~1e-7.
        let a = current.product.hdus.hdu(named: "SCI")!.image!.floats().pixels
        let b = older.product.hdus.hdu(named: "SCI")!.image!.floats().pixels
        #expect(FusionFixture.relativeRMS(b, a) < 1e-5)
    }

    @Test func wavelengthAxisIsLinearOnlyWithinFloat32Rounding() {
        let linear = (0..<200).map { 1.66 + 0.0032 * Double($0) }
        #expect(FusedWavelengthAxis(linear.map { Double(Float($0)) }).linear != nil)
        // NIRSpec's grids are at least 1e-4 µm apart per channel; a departure of 1e-6 µm is a real one.
        var bent = linear
        bent[100] += 1e-6
        let axis = FusedWavelengthAxis(bent)
        #expect(axis.linear == nil)
        var header = Header()
        header.set("CDELT3", .real(0.0032))
        axis.write(into: &header)
        #expect(header.string("CTYPE3") == "WAVE-TAB" && header.string("PS3_0") == "WCS-TABLE" && header.string("PS3_1") == "wavelength")
        #expect(header["CDELT3"] == nil && header.real("CRVAL3") == 1 && header.real("CRPIX3") == 1)
        guard case .float32(let values) = axis.table.table!["wavelength"]!.data else { Issue.record("not float32"); return }
        #expect(values == bent.map(Float.init))
    }
}
