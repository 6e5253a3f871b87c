import Foundation
import SluiceCore
import Testing

@testable import SluiceWeb

/// The pictures and small formats the pages are made of.
@Suite struct WebPictureTests {
    @Test func aGraphIsLaidOutByLongestPath() {
        // a → b → d, a → c → d, and e alone: d is two columns right of a whichever way it is reached.
        let layers = GraphPicture.layers(count: 5, edges: [(0, 1), (1, 3), (0, 2), (2, 3)])
        #expect(layers == [0, 1, 1, 2, 0])
        let inputs = (0..<5).map {
            GraphPicture.Input(label: "n\($0)", sublabel: "", tone: "ok", href: "#n\($0)", title: "n\($0)")
        }
        let picture = GraphPicture(inputs, edges: [(0, 1), (1, 3), (0, 2), (2, 3)], label: "g")
        #expect(picture.nodes[3].x > picture.nodes[1].x && picture.nodes[1].x > picture.nodes[0].x)
        #expect(picture.nodes[1].y != picture.nodes[2].y, "nodes of one column do not overlap")
        #expect(picture.edges.count == 4)
        #expect(picture.width >= picture.nodes.map { $0.x + $0.width }.max()!)
    }

    @Test func aCycleDoesNotHang() {
        let layers = GraphPicture.layers(count: 3, edges: [(0, 1), (1, 2), (2, 1)])
        #expect(layers.count == 3)
        #expect(layers[0] == 0)
    }

    @Test func longLabelsAreCutToTheirBox() {
        #expect(GraphPicture.clip("curated.revenue_by_country_and_month", 25).count == 25)
        #expect(GraphPicture.clip("short", 25) == "short")
    }

    @Test func aTimelineDrawsEachAttempt() {
        var run = RunRecord(
            id: "r1", pipeline: "p", environment: "dev", principal: "ci", traceID: "t", gitCommit: nil,
            baseCommit: nil, maxParallel: 1, startedAt: Timestamp(milliseconds: 0), steps: [])
        var step = StepRun(step: "s", status: .succeeded)
        for (number, start) in [(1, 0), (2, 1_000), (3, 3_000)] {
            var attempt = StepAttempt(number: number, startedAt: Timestamp(milliseconds: Int64(start)))
            attempt.endedAt = Timestamp(milliseconds: Int64(start + 900))
            attempt.succeeded = number == 3
            step.attempts.append(attempt)
        }
        run.steps = [step]
        run.endedAt = Timestamp(milliseconds: 4_000)
        let picture = TimelinePicture(run, now: Timestamp(milliseconds: 10_000))
        let bars = picture.rows[0].bars
        #expect(bars.map(\.tone) == ["bad", "bad", "ok"])
        #expect(zip(bars, bars.dropFirst()).allSatisfy { $0.x + $0.width < $1.x }, "retries read as separate bars")
        #expect(picture.rows[0].note.contains("3 attempts"))
    }

    @Test func pagerLinksKeepTheFiltersAndEscapeThem() {
        let pager = Pager(
            path: "/ui/runs", query: [("who", "a&b=c"), ("after", "old"), ("status", "")], next: "42", isFirst: false)
        #expect(pager.next == "/ui/runs?who=a%26b%3Dc&after=42")
        #expect(pager.first == "/ui/runs?who=a%26b%3Dc")
    }

    @Test func formatsReadAsPeopleWriteThem() {
        #expect(Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(-1_000) == "-1,000")
        #expect(Format.duration(milliseconds: 850) == "850 ms")
        #expect(Format.duration(milliseconds: 65_000) == "1 min 05 s")
        #expect(Format.bytes(1536) == "1.5 KiB")
        #expect(When.relative(-7_200_000) == "2 h ago")
        #expect(When.relative(90_000) == "in 1 min")
        #expect(Format.segment("sandbox/alice") == "sandbox%2Falice")
    }
}
