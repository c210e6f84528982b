import FITS
import Pipeline

/// `program`: a MAST-like download of one program as astroquery lays it out (`mastDownload/JWST/<obs_id>/<file>`):
/// one set of each science kind the catalog can simulate, in the layouts MAST ships (the fixed-slit observation
/// in ALLSLITS with its nods subtracted, the MOS observation nod-subtracted), plus the files a real download brings
/// that Webbflow must skip (an uncal exposure, a target-acquisition image, a CRDS reference file, an x1d spectrum
/// and a preview image). Every file carries the program number. Truth files are left out: MAST does not ship them.
public struct ProgramRecipe: SimulationRecipe {
    public let name = "program"
    public let summary = "a MAST-like download: science files of every simulated kind plus files Webbflow must skip"
    public struct Settings: StepOptions {
        public var program = 4242
        public var science = true

        public init() {}

        public static let declarations: [OptionDeclaration<Self>] = [
            .program(\.program),
            .flag("science", \.science, help: "include the science kinds (false: only the files to skip)"),
        ]
    }

    /// The science kinds a download contains, in order, with the settings that give MAST's layouts.
    public static let scienceKinds: [(kind: String, settings: [String])] = [
        ("nirspec-rate", []), ("nirspec-ifu-cal", []), ("miri-mrs-cal", []),
        ("nirspec-fs-cal", ["subarray=ALLSLITS", "nod_subtracted=true"]), ("nirspec-mos-cal", ["nod_subtracted=true"]),
        ("miri-lrs-cal", []), ("fusion-pair", []),
    ]

    public init() {}

    public func generate(seed: UInt64, settings: Settings) throws -> [SimulatedFile] {
        let program = settings.program
        var files: [SimulatedFile] = []
        if settings.science {
            for (index, science) in Self.scienceKinds.enumerated() {
                guard let recipe = SimulationCatalog.recipe(named: science.kind) else { continue }
                let assignments = ["program=\(program)"] + science.settings
                for var file in try recipe.generate(seed: seed &+ UInt64(index + 1), assignments: assignments) {
                    file.truth = nil
                    file.folder = Self.folder(for: file.fileName)
                    files.append(file)
                }
            }
        }
        files += ProgramDecoys.files(program: program)
        return files
    }

    /// `mastDownload/JWST/<obs_id>`, where MAST's obs_id is the file name without its product suffix.
    public static func folder(for fileName: String) -> String {
        "mastDownload/JWST/\(ProductName(fileName).stem)"
    }
}
