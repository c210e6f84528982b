import FITS
import Pipeline

/// Builds the `<stem>_atm.fits` product from the input exposure and the model output: input headers copied,
/// arrays replaced by their oversampled versions, TRACEMODEL added, status and pixel-mapping keywords set, and the
/// input's ASDF tree carried with its gwcs edited for the new grid (`ProductTree`).
enum ProductAssembler {
    static let replaced = ["SCI", "ERR", "DQ", "VAR_POISSON", "VAR_RNOISE", "VAR_FLAT", "WAVELENGTH", "REGIONS"]

    static func product(from exposure: Exposure, output: TraceModelOutput, settings: TraceModelSettings, dispersionAlongY: Bool) -> Product
    {
        let n = settings.oversample
        var primary = exposure.primaryHeader
        primary.set("S_TRCMOD", .string("COMPLETE"), comment: "Adaptive trace model")
        primary.set(
            "ATM_MODL", .string(output.modelledRegions.map(String.init).joined(separator: ",")),
            comment: "regions with a trace model")
        for note in output.notes { primary.addHistory("atm: \(note)") }
        var hdus = [HDU(header: primary)]
        let unit = exposure.hdu("SCI")?.header.string("BUNIT") ?? ""
        func header(_ name: String) -> Header { exposure.hdu(name)?.header ?? Header() }

        let tree = ProductTree.edited(from: exposure, map: SlicePixelMap(factor: n), alongX: dispersionAlongY)
        if n == 1 {
            hdus = exposure.hdus.filter { $0.name != ASDFExtension.extensionName }
            hdus[0] = HDU(header: primary)
        } else {
            let order = ["SCI", "ERR", "DQ"] + TraceModelInputReader.varianceNames + ["WAVELENGTH", "REGIONS"]
            for name in order {
                guard let payload = output.planes[name] else { continue }
                let planeHeader =
                    name == "SCI" ? scienceHeader(exposure, settings: settings, dispersionAlongY: dispersionAlongY) : header(name)
                hdus.append(extensionHDU(name, payload: payload, header: planeHeader))
            }
            let dropped = exposure.hdus.dropFirst().compactMap(\.name)
                .filter { !replaced.contains($0) && $0 != ASDFExtension.extensionName }
            if !dropped.isEmpty {
                hdus[0].header.addComment("atm: dropped \(dropped.joined(separator: ", ")): they describe the native pixel grid.")
            }
            hdus[0].header.addComment("atm: native = oversampled * ATM_SCAL + ATM_SHFT on axis ATM_AXIS (SCI header).")
        }
        for note in tree.notes { hdus[0].header.addComment(note) }
        var traceHeader = Header()
        traceHeader.set("BUNIT", .string(unit), comment: "scaled spline model at compact-source pixels, NaN elsewhere")
        hdus.append(extensionHDU("TRACEMODEL", payload: output.trace, header: traceHeader))
        if let file = tree.file {
            let asdf = ProductTree.extensionHDU(file, describing: hdus)
            if let note = asdf.note { hdus[0].header.addComment(note) }
            if let hdu = asdf.hdu { hdus.append(hdu) }
        }
        return Product(fileName: exposure.name.product(suffix: "atm"), hdus: hdus, program: exposure.kind.program)
    }

    /// The `save_intermediate` products, one per term of the combination, as the reference writes them: the input's
    /// headers and the term as SCI, without DQ or ERR. None when the output carries no intermediates.
    static func intermediates(
        from exposure: Exposure, output: TraceModelOutput, settings: TraceModelSettings,
        dispersionAlongY: Bool
    ) -> [Product] {
        guard let terms = output.intermediates else { return [] }
        let planes: [(suffix: String, pixels: HDU.Payload?, meaning: String)] = [
            ("spline_full", terms.fullSpline, "scaled spline wherever a column has a model"),
            ("spline_used", output.trace, "scaled spline at compact-source pixels (TRACEMODEL)"),
            ("linear_interp", terms.linear, "linear interpolation alone"),
            ("spline_residual", terms.residual, "data minus spline, interpolated (added at compact-source pixels)"),
        ]
        var sciHeader =
            settings.oversample == 1
            ? exposure.hdu("SCI")?.header ?? Header()
            : scienceHeader(exposure, settings: settings, dispersionAlongY: dispersionAlongY)
        return planes.compactMap { suffix, pixels, meaning in
            guard let pixels else { return nil }
            var primary = exposure.primaryHeader
            primary.set("S_TRCMOD", .string("COMPLETE"), comment: "Adaptive trace model")
            primary.addHistory("atm: intermediate product, SCI = \(meaning)")
            sciHeader.set("ATM_TERM", .string(suffix), comment: meaning)
            return Product(
                fileName: exposure.name.product(suffix: suffix),
                hdus: [
                    HDU(header: primary),
                    extensionHDU("SCI", payload: pixels, header: sciHeader),
                ],
                program: exposure.kind.program)
        }
    }

    /// An image extension named `name` holding `payload`.
    private static func extensionHDU(_ name: String, payload: HDU.Payload, header: Header) -> HDU {
        var header = header
        header.set("EXTNAME", .string(name))
        return HDU(header: header, payload: payload)
    }

    /// The input's SCI header with the pixel area divided by N and the keywords mapping oversampled rows to native ones.
    private static func scienceHeader(_ exposure: Exposure, settings: TraceModelSettings, dispersionAlongY: Bool) -> Header {
        let n = settings.oversample
        let map = SlicePixelMap(factor: n)
        var sciHeader = exposure.hdu("SCI")?.header ?? Header()
        for key in ["PIXAR_SR", "PIXAR_A2"] {
            if let v = sciHeader.real(key) { sciHeader.set(key, .real(v / Double(n)), comment: "pixel area, divided by the oversampling") }
        }
        sciHeader.set("ATM_N", .integer(n), comment: "oversampling factor along the slice")
        sciHeader.set("ATM_AXIS", .integer(dispersionAlongY ? 1 : 2), comment: "FITS axis that was oversampled")
        sciHeader.set("ATM_SCAL", .real(map.scale), comment: "det = os * ATM_SCAL + ATM_SHFT (0-based pixels)")
        sciHeader.set("ATM_SHFT", .real(map.offset), comment: "det = os * ATM_SCAL + ATM_SHFT")
        return sciHeader
    }
}
