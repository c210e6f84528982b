import FITS
import Pipeline
import XCTest

/// The one place routing and grouping are decided, as `webbflow process` and the daemon's intake use it.
final class RouterTests: XCTestCase {
    /// A step that takes files one at a time, or (with a rule) in groups keyed by observation.
    struct Taking: Step {
        let manifest: StepManifest
        init(_ name: String, _ types: Set<String>, grouping: (any GroupingRule)? = nil) {
            manifest = StepManifest(
                name: name, summary: "test", routes: [Route(instruments: ["NIRSPEC"], exposureTypes: types, suffixes: ["cal"])],
                productSuffix: name, statusKeyword: "S_TEST", grouping: grouping)
        }
        func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] { [] }
    }

    /// Groups by observation; refuses exposures without one.
    struct ByObservation: GroupingRule {
        func groupKey(for kind: ExposureKind, science: Header?) -> String? { kind.observation.isEmpty ? nil : kind.observation }
        func isComplete(_ members: [ExposureKind]) -> Bool { members.count >= 2 }
        func isRunnable(_ members: [ExposureKind]) -> Bool { !members.isEmpty }
    }

    let registry = StepRegistry([Taking("single", ["NRS_IFU"]), Taking("grouped", ["NRS_FIXEDSLIT"], grouping: ByObservation())])

    private func classification(_ type: String, observation: String = "062") -> Classification {
        var primary = Header()
        for (key, value) in [
            ("TELESCOP", "JWST"), ("INSTRUME", "NIRSPEC"), ("EXP_TYPE", type), ("PROGRAM", "01345"), ("OBSERVTN", observation),
        ] {
            primary.set(key, .string(value))
        }
        let path = "jw01345\(observation)001_03101_00001_nrs1_cal.fits"
        return Classifier(registry: registry).classify(primary: primary, science: nil, name: ProductName(path), path: path)
    }

    func testSingleFilesBecomeJobsAndGroupedOnesMembersOfATypedGroup() {
        let router = Router(registry: registry)
        XCTAssertEqual(
            router.decide(classification("NRS_IFU"), science: nil), .job(Job(step: "single", inputs: [classification("NRS_IFU").path])))
        XCTAssertEqual(
            router.decide(classification("NRS_FIXEDSLIT"), science: nil), .member(of: GroupMembership(step: "grouped", role: .keyed("062")))
        )
        XCTAssertNotNil(router.rule(of: JobGroupID(step: "grouped", key: "062")))
        guard case .skip(.unsupportedMode, let why) = router.decide(classification("NRS_FIXEDSLIT", observation: ""), science: nil) else {
            return XCTFail("a file the rule cannot group is skipped")
        }
        XCTAssertTrue(why.contains("cannot group"), why)
    }

    func testAForcedStepTakesEveryReadableFileAndAnUnknownOneIsSaidSo() {
        let router = Router(registry: registry)
        let skipped = classification("NRS_MSASPEC")
        XCTAssertNil(skipped.verdict.stepName)
        XCTAssertEqual(router.decide(skipped, science: nil, forcedStep: "single"), .job(Job(step: "single", inputs: [skipped.path])))
        guard case .skip(.noStepRegistered, let why) = router.decide(skipped, science: nil, forcedStep: "nosuch") else {
            return XCTFail("an unknown forced step is said so")
        }
        XCTAssertTrue(why.contains("grouped, single"), why)
        let damaged = Classification(path: "x.fits", name: ProductName("x.fits"), kind: nil, verdict: .skip(.damaged, "not a FITS file"))
        XCTAssertEqual(router.decide(damaged, science: nil, forcedStep: "single"), .skip(.damaged, "not a FITS file"))
    }

    func testThePlannerRunsARunnableGroupOnce() {
        let members = [classification("NRS_FIXEDSLIT"), classification("NRS_FIXEDSLIT"), classification("NRS_IFU")]
        let plan = JobPlanner(registry: registry).plan(members)
        XCTAssertEqual(
            plan.jobs,
            [
                Job(step: "single", inputs: [members[2].path]),
                Job(step: "grouped", inputs: [members[0].path, members[1].path], group: "062"),
            ])
        XCTAssertTrue(plan.skipped.isEmpty)
    }
}
