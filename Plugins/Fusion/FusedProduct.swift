import FITS
import Foundation
import Pipeline

/// The `<cube stem>_fused_s3d.fits` product, an IFUCubeModel in jwst 3.0's layout: SCI, ERR, DQ and WMAP
/// (wavelength, y, x) on the fused grid with the cube's celestial WCS refined by three, the spectral axis and
/// WCS-TABLE of `FusedWavelengthAxis`, the members in HDRTAB; then Webbflow's own tables: QUALITY (per NIRCam
/// filter) and MEANSPEC (per channel); last the ASDF tree with the cube's gwcs (`FusedCubeWCS`).
enum FusedProduct {
    struct FilterQuality {
        var filter: String
        var role: String
        var psnr: Double
        var ssim: Double
        var calibration: Double
    }

    /// The fused cube and what is known about its voxels.
    struct Voxels {
        var values: [Float]
        /// Standard deviation per channel and sub-pixel phase (`FusionResult.sigma`).
        var sigma: [Double]
        var coverage: FusedCoverage
    }

    static func hdus(
        cube exposure: Exposure, cubeInput: CubeInput, members: [Exposure], productName: String, voxels: Voxels,
        quality: [FilterQuality], meanSpectrum: (nirspec: [Double], fused: [Double], relative: [Double]),
        result: FusionResult, statusKeyword: String
    ) throws -> [HDU] {
        var primary = FusionMembers.primary(cube: exposure, members: members, productName: productName)
        primary.set(statusKeyword, .string("COMPLETE"), comment: "SyFu NIRCam + NIRSpec fusion")
        primary.set("FLUXEXT", .string("SCI"), comment: "Name of the extension holding the flux")
        primary.set("ERREXT", .string("ERR"), comment: "Name of the extension holding the error")
        primary.set("ERRTYPE", .string("ERR"), comment: "Type of the error")
        primary.set("MASKEXT", .string("DQ"), comment: "Name of the extension holding the mask")
        primary.addHistory(
            "SyFu fusion: rank \(result.rank), gamma \(String(format: "%.4g", result.gamma)); ERR propagated from the inputs' noise through the solve"
        )

        let axis = FusedWavelengthAxis(cubeInput.wavelengths)
        var science = cubeInput.science
        let factor = Double(FusedGrid.factor)
        for axis in 1...2 {
            if let crpix = science.real("CRPIX\(axis)") { science.set("CRPIX\(axis)", .real(factor * crpix - (factor - 1) / 2)) }
            if let cdelt = science.real("CDELT\(axis)") { science.set("CDELT\(axis)", .real(cdelt / factor)) }
            for j in 1...2 { if let cd = science.real("CD\(axis)_\(j)") { science.set("CD\(axis)_\(j)", .real(cd / factor)) } }
        }
        for key in ["PIXAR_SR", "PIXAR_A2"] { if let area = science.real(key) { science.set(key, .real(area / (factor * factor))) } }
        axis.write(into: &science)
        science.set("FUSRANK", .integer(result.rank), comment: "SyFu subspace rank")
        science.set("FUSVAR", .real(result.explainedVariance), comment: "fraction of cube variance in the subspace")
        science.set("FUSGAMMA", .real(result.gamma), comment: "effective gamma = sigma_m^2 / sigma_h^2")
        for (i, mu) in result.mu.enumerated() where i < 9 {
            science.set("FUSMU\(i + 1)", .real(mu), comment: "Sobolev weight of component \(i + 1)")
        }

        let fineWidth = FusedGrid.factor * cubeInput.width, fineHeight = FusedGrid.factor * cubeInput.height
        let shape = [fineWidth, fineHeight, cubeInput.wavelengths.count]
        var values = voxels.values
        var errors = [Float](repeating: 0, count: values.count)
        let finePlane = fineWidth * fineHeight
        for l in 0..<cubeInput.wavelengths.count {
            for y in 0..<fineHeight {
                for x in 0..<fineWidth {
                    let v = l * finePlane + y * fineWidth + x
                    if voxels.coverage.quality[v] & DataQuality.doNotUse.rawValue != 0 {
                        values[v] = .nan
                        errors[v] = .nan
                    } else {
                        let phase = FusedGrid.factor * (y % FusedGrid.factor) + x % FusedGrid.factor
                        errors[v] = Float(voxels.sigma[l * BlockNoise.phases + phase])
                    }
                }
            }
        }
        var errorHeader = Header()
        errorHeader.set("BUNIT", .string(cubeInput.unit), comment: "physical units of the array values")
        errorHeader.addComment(
            "Standard deviation under the solve's noise model (white noise of the inputs' ERR levels), per channel and sub-pixel phase")
        var weightHeader = Header()
        weightHeader.addComment("Input samples measuring each voxel: the NIRSpec spaxel value, and NIRCam images covering it in band")
        var hdus = [
            HDU(header: primary),
            HDU(name: "SCI", image: Image(axes: shape, pixels: values), header: science),
            HDU(name: "ERR", image: Image(axes: shape, pixels: errors), header: errorHeader),
            HDU(name: "DQ", image: Image(axes: shape, pixels: voxels.coverage.quality)),
            HDU(name: "WMAP", image: Image(axes: shape, pixels: voxels.coverage.weights), header: weightHeader),
            axis.table,
            MembersTable.hdu(members: members),
        ]
        var qualityHeader = Header()
        qualityHeader.addComment("PSNR (dB) and SSIM of each NIRCam image against the fused cube through that filter's forward model")
        hdus.append(
            HDU(
                name: "QUALITY",
                table: Table(columns: [
                    TableColumn(name: "FILTER", data: .string(quality.map(\.filter), width: 8)),
                    TableColumn(name: "ROLE", data: .string(quality.map(\.role), width: 8)),
                    TableColumn(name: "PSNR", unit: "dB", data: .float64(quality.map(\.psnr))),
                    TableColumn(name: "SSIM", data: .float64(quality.map(\.ssim))),
                    TableColumn(name: "CALIB", data: .float64(quality.map(\.calibration))),
                ]), header: qualityHeader))
        let worst = meanSpectrum.relative.map(abs).max() ?? 0
        var spectrumHeader = Header()
        spectrumHeader.set("MAXRELER", .real(worst), comment: "max |relative error| of the mean spectrum")
        hdus.append(
            HDU(
                name: "MEANSPEC",
                table: Table(columns: [
                    TableColumn(name: "WAVELENGTH", unit: "um", data: .float64(cubeInput.wavelengths)),
                    TableColumn(name: "NIRSPEC", unit: cubeInput.unit, data: .float64(meanSpectrum.nirspec)),
                    TableColumn(name: "FUSED", unit: cubeInput.unit, data: .float64(meanSpectrum.fused)),
                    TableColumn(name: "REL_ERROR", data: .float64(meanSpectrum.relative)),
                ]), header: spectrumHeader))
        hdus.append(try ASDFExtension.hdu(for: FusedCubeWCS.asdf(science: science, axis: axis)))
        return hdus
    }
}
