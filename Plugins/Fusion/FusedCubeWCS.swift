import FITS

/// The fused cube's WCS as the gwcs jwst 3.0 builds from a cube's FITS keywords (`pointing.create_fitswcs`), in an
/// ASDF tree at `meta.wcs`: specutils and Cubeviz read a JWST cube's coordinates from there, not from the header.
///
/// detector (0-based x, y, z) → world: (shift by 1 − CRPIX, PC matrix, CDELT scale, gnomonic, rotation to CRVAL)
/// for the sky, and shift by 1 − CRPIX3, CDELT3 scale, CRVAL3 shift for a linear wavelength axis, or a tabular
/// lookup of the wavelengths otherwise.
enum FusedCubeWCS {
    /// An ASDF file whose tree holds only `meta.wcs` for a cube with this SCI header; the product writer adds
    /// the rest of the tree.
    static func asdf(science: Header, axis: FusedWavelengthAxis) throws -> ASDFFile {
        let text =
            "#ASDF 1.0.0\n#ASDF_STANDARD 1.6.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- !core/asdf-1.1.0\nmeta:\n  wcs: "
            + wcs(science: science, axis: axis) + "\n...\n"
        return try ASDFFile(bytes: Array(text.utf8))
    }

    static func wcs(science: Header, axis: FusedWavelengthAxis) -> String {
        func real(_ key: String, _ fallback: Double) -> Double { science.real(key) ?? fallback }
        let cd = science.real("CD1_1") != nil
        let scale1 = cd ? 1 : real("CDELT1", 1), scale2 = cd ? 1 : real("CDELT2", 1)
        let prefix = cd ? "CD" : "PC"
        let matrix = [real("\(prefix)1_1", 1), real("\(prefix)1_2", 0), real("\(prefix)2_1", 0), real("\(prefix)2_2", 1)]
        let spectral: String
        if let linear = axis.linear {
            let shift = "!transform/shift-1.4.0 {offset: \(number(-(real("CRPIX3", 1) - 1)))}"
            let scale = "!transform/scale-1.4.0 {factor: \(number(linear.step))}"
            spectral =
                "!transform/compose-1.4.0 {forward: [!transform/compose-1.4.0 {forward: [\(shift), \(scale)]}, "
                + "!transform/shift-1.4.0 {offset: \(number(linear.start))}]}"
        } else {
            let n = axis.wavelengths.count
            let points = (0..<n).map { number(Double($0)) }.joined(separator: ", ")
            let values = axis.wavelengths.map(number).joined(separator: ", ")
            spectral =
                "!transform/tabular-1.2.0 {bounds_error: false, fill_value: .nan, method: linear, "
                + "points: [!core/ndarray-1.1.0 {data: [\(points)], datatype: float64, shape: [\(n)]}], "
                + "lookup_table: !core/ndarray-1.1.0 {data: [\(values)], datatype: float64, shape: [\(n)]}}"
        }
        return """
            !<tag:stsci.edu:gwcs/wcs-1.4.0>
                name: ''
                steps:
                - !<tag:stsci.edu:gwcs/step-1.3.0>
                  frame: !<tag:stsci.edu:gwcs/frame-1.2.0>
                    axes_names: [x, y, z]
                    axes_order: [0, 1, 2]
                    axes_type: [SPATIAL, SPATIAL, SPECTRAL]
                    axis_physical_types: ['custom:SPATIAL', 'custom:SPATIAL', 'custom:SPECTRAL']
                    name: detector
                    naxes: 3
                    unit: [!unit/unit-1.0.0 pixel, !unit/unit-1.0.0 pixel, !unit/unit-1.0.0 pixel]
                  transform: !transform/concatenate-1.4.0
                    forward:
                    - !transform/compose-1.4.0
                      forward:
                      - !transform/compose-1.4.0
                        forward:
                        - !transform/compose-1.4.0
                          forward:
                          - !transform/concatenate-1.4.0
                            forward:
                            - !transform/shift-1.4.0 {offset: \(number(-(real("CRPIX1", 1) - 1)))}
                            - !transform/shift-1.4.0 {offset: \(number(-(real("CRPIX2", 1) - 1)))}
                          - !transform/affine-1.5.0
                            matrix: !core/ndarray-1.1.0 {data: [[\(number(matrix[0])), \(number(matrix[1]))], [\(number(matrix[2])), \(number(matrix[3]))]], datatype: float64, shape: [2, 2]}
                            translation: !core/ndarray-1.1.0 {data: [0.0, 0.0], datatype: float64, shape: [2]}
                        - !transform/concatenate-1.4.0
                          forward:
                          - !transform/scale-1.4.0 {factor: \(number(scale1))}
                          - !transform/scale-1.4.0 {factor: \(number(scale2))}
                      - !transform/compose-1.4.0
                        forward:
                        - !transform/gnomonic-1.4.0 {direction: pix2sky}
                        - !transform/rotate3d-1.5.0 {direction: native2celestial, phi: \(number(real("CRVAL1", 0))), psi: 180.0, theta: \(number(real("CRVAL2", 0)))}
                    - \(spectral)
                - !<tag:stsci.edu:gwcs/step-1.3.0>
                  frame: !<tag:stsci.edu:gwcs/composite_frame-1.0.0>
                    frames:
                    - !<tag:stsci.edu:gwcs/celestial_frame-1.2.0>
                      axes_names: [RA, DEC]
                      axes_order: [0, 1]
                      axis_physical_types: [pos.eq.ra, pos.eq.dec]
                      name: sky
                      reference_frame: !<tag:astropy.org:astropy/coordinates/frames/icrs-1.1.0> {frame_attributes: {}}
                      unit: [!unit/unit-1.0.0 deg, !unit/unit-1.0.0 deg]
                    - !<tag:stsci.edu:gwcs/spectral_frame-1.2.0>
                      axes_names: [wavelength]
                      axes_order: [2]
                      axis_physical_types: [em.wl]
                      name: spectral
                      unit: [!unit/unit-1.0.0 um]
                    name: world
                  transform: null
            """
    }

    /// A float as ASDF trees write it (`ASDFTree.real`).
    static func number(_ value: Double) -> String { ASDFTree.real(value).scalar?.string ?? "\(value)" }
}
