import FITS
import Pipeline

/// `program`: a MAST-like download of one program as astroquery lays it out (`mastDownload/JWST/<obs_id>/<file>`):
/// one set of each science kind the catalog can simulate, plus the files a real download brings that Webbflow
/// must skip (an uncal exposure, a target-acquisition image, a CRDS reference file, an x1d spectrum and a preview
/// image). The science kinds are looked up by name, so the download grows as recipes are added; truth files are
/// left out because MAST does not ship them.
public struct ProgramRecipe: SimulationRecipe {
    public let name = "program"
    public let summary = "a MAST-like download: science files of every simulated kind plus files Webbflow must skip"
    public let settings: [ParameterSpec] = [
        ParameterSpec("program", default: .integer(4242), help: "program (proposal) number", range: 1...99999),
        ParameterSpec("science", default: .logical(true), help: "include the science kinds (false: only the files to skip)"),
    ]

    /// The science kinds a download contains, in order; kinds the catalog lacks are left out.
    public static let scienceKinds = ["nirspec-rate", "nirspec-ifu-cal", "miri-mrs-cal", "nirspec-fs-cal", "nirspec-mos-cal", "miri-lrs-cal", "fusion-pair"]

    public init() {}

    public func generate(seed: UInt64, settings: ParameterValues) throws -> [SimulatedFile] {
        let program = settings.integer("program")
        var files: [SimulatedFile] = []
        if settings.logical("science") {
            for (index, kind) in Self.scienceKinds.enumerated() {
                guard let recipe = SimulationCatalog.recipe(named: kind) else { continue }
                let specs = recipe.settings.map(\.name)
                let assignments = specs.contains("program") ? ["program=\(program)"] : []
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
