import Relief
import ReliefFormats
import Testing

/// The guided countdown's steps, against the catalogue's doses read by hand from
/// data/exercises.csv (reps, rep_seconds, hold_seconds, sides, rest_seconds, setup_seconds).
@Suite("Guided timeline")
struct GuidedTimelineTests {
    @Test("pelvic tilt, 2 sets: position 15 s, then 5 tilts × (3 s + 2 s hold) = 25 s, rest 15 s between the sets only")
    func pelvicTilt() {
        // pelvic-tilt: tilts, 5 reps, rep 3 s, hold 2 s, whole, setup 15 s, 1 side, rest 15 s.
        let dose = Dose(kind: .tilts, reps: 5, repSeconds: 3, holdSeconds: 2)
        let steps = GuidedTimeline.steps(units: 2, whole: true, sides: 1, restSeconds: 15, setupSeconds: 15, seconds: 15 + 2 * 40, dose: dose)
        #expect(steps.map(\.kind) == [.setup, .work, .rest, .work])
        #expect(steps.map(\.seconds) == [15, 25, 15, 25])
        #expect(steps[1].label == "Set 1 of 2: 5 tilts, 2 s hold each")
        #expect(steps[1].reps == 5 && steps[1].move == 3 && steps[1].hold == 2)
        #expect(steps[3].label == "Set 2 of 2: 5 tilts, 2 s hold each")
    }

    @Test("a side bridge's holds on each side in turn: 12 holds × (3 s + 8 s) = 132 s a side, no rest after the single set")
    func sideBridge() {
        // side-bridge-knees: holds, 12 reps, rep 3 s, hold 8 s, whole, setup 15 s, 2 sides.
        let dose = Dose(kind: .holds, reps: 12, repSeconds: 3, holdSeconds: 8)
        let steps = GuidedTimeline.steps(units: 1, whole: true, sides: 2, restSeconds: 15, setupSeconds: 15, seconds: 15 + 279, dose: dose)
        #expect(steps.map(\.kind) == [.setup, .work, .work])
        #expect(steps.map(\.seconds) == [15, 132, 132])
        #expect(steps.map(\.label) == ["Get into position", "The set, first side: 12 holds of 8 s", "The set, second side: 12 holds of 8 s"])
    }

    @Test("minutes of walking are one timed step of the planned time, setup apart")
    func walk() {
        // brisk-walk: timed, 60 s a unit, not whole, setup 30 s; 12 minutes planned: 30 + 720 s.
        let dose = Dose(kind: .timed, reps: 1, repSeconds: 0, holdSeconds: 60)
        let steps = GuidedTimeline.steps(units: 12, whole: false, sides: 1, restSeconds: 0, setupSeconds: 30, seconds: 750, dose: dose)
        #expect(steps.map(\.kind) == [.setup, .work])
        #expect(steps.map(\.seconds) == [30, 720])
        #expect(steps[1].label == "Keep going")
    }
}

/// The handout's Markdown as HTML, on shapes written by hand.
@Suite("Handout HTML")
struct HandoutHTMLTests {
    @Test("headings, a pipe table with a right-aligned column, lists with details, bold, and escaping")
    func shapes() {
        let md = """
        # Week 1 of 2

        From Tue to Mon.
        Two lines, one paragraph.

        | Day | Time |
        |-----|-----:|
        | Tue | 7:47 |

        - **Session A**: a <b> & "c"
        1. **Bridge**: 2 sets
           - Lift the hips.
           - Rest 15 s.
        2. Walk

        _Not medical advice._
        """
        let expected = """
        <h1>Week 1 of 2</h1>
        <p>From Tue to Mon. Two lines, one paragraph.</p>
        <table class="handout">
        <thead><tr><th>Day</th><th class="num">Time</th></tr></thead>
        <tbody>
        <tr><td>Tue</td><td class="num">7:47</td></tr>
        </tbody>
        </table>
        <ul>
        <li><strong>Session A</strong>: a &lt;b&gt; &amp; &quot;c&quot;</li>
        </ul>
        <ol>
        <li><strong>Bridge</strong>: 2 sets
        <ul>
        <li>Lift the hips.</li>
        <li>Rest 15 s.</li>
        </ul>
        </li>
        <li>Walk</li>
        </ol>
        <p><em>Not medical advice.</em></p>

        """
        #expect(HandoutHTML.render(md) == expected)
    }
}
