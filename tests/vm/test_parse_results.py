# SPDX-License-Identifier: GPL-2.0
"""The harness's judge must never call a broken run green. Host-side tests of
tests/vm/parse-results on crafted results-port transcripts."""
import os
import subprocess
import tempfile
import unittest

JUDGE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     'parse-results')

KUNIT_OK = '''# kunit-begin s
# kunit:     KTAP version 1
# kunit:     # Subtest: s
# kunit:     1..1
# kunit:     ok 1 - c1
# kunit: ok 1 - s
# kunit-end s
'''


def judge(text, kunit='none', extra=()):
    with tempfile.NamedTemporaryFile('w', suffix='.tap', delete=False) as f:
        f.write(text)
    try:
        env = dict(os.environ)
        env.pop('IOI_RESULTS', None)
        p = subprocess.run([JUDGE, '--kunit', kunit, *extra, f.name], env=env,
                           capture_output=True, text=True)
        return p.returncode, p.stdout
    finally:
        os.unlink(f.name)


class Judge(unittest.TestCase):
    def test_green(self):
        rc, out = judge('TAP version 13\n1..2\nok 1 - a\nok 2 - b\n'
                        '# iointercept-vm: done\n')
        self.assertEqual(rc, 0, out)
        self.assertIn('vm: 2 passed, 0 failed', out)

    def test_no_done_line_is_a_failure(self):
        # What a guest that panicked after its last test looks like.
        rc, out = judge('TAP version 13\n1..1\nok 1 - a\n')
        self.assertEqual(rc, 1)
        self.assertIn('never reported that it was done', out)

    def test_missing_result_is_a_failure(self):
        rc, out = judge('1..3\nok 1 - a\nok 2 - b\n# iointercept-vm: done\n')
        self.assertEqual(rc, 1)
        self.assertIn('planned 3 tests, 2 reported', out)

    def test_numbers_must_be_1_to_n(self):
        rc, out = judge('1..2\nok 1 - a\nok 7 - b\n# iointercept-vm: done\n')
        self.assertEqual(rc, 1)

    def test_guest_plan_must_match_host(self):
        rc, out = judge('1..1\nok 1 - a\n# iointercept-vm: done\n',
                        extra=('--plan', '3'))
        self.assertEqual(rc, 1)
        self.assertIn('the host sent 3 tests', out)

    def test_qemu_killed_after_done(self):
        rc, out = judge('1..1\nok 1 - a\n# iointercept-vm: done\n',
                        extra=('--qemu-status', '124'))
        self.assertEqual(rc, 1)
        self.assertIn('qemu exited with status 124', out)

    def test_kunit_lost_case(self):
        text = KUNIT_OK.replace('1..1', '1..2')
        rc, out = judge(text + '1..1\nok 1 - a\n# iointercept-vm: done\n',
                        kunit='required')
        self.assertEqual(rc, 1)
        self.assertIn('planned 2 cases, 1 reported', out)

    def test_nothing_ran(self):
        rc, out = judge('TAP version 13\n# iointercept-vm: done\n')
        self.assertEqual(rc, 1)

    def test_not_ok(self):
        rc, out = judge('1..1\nnot ok 1 - a\n# iointercept-vm: done\n')
        self.assertEqual(rc, 1)
        self.assertIn('vm: 0 passed, 1 failed', out)

    def test_bail_out(self):
        rc, out = judge('1..1\nBail out! no disk\nok 1 - a\n'
                        '# iointercept-vm: done\n')
        self.assertEqual(rc, 1)

    def test_duplicate_number(self):
        rc, out = judge('1..2\nok 1 - a\nok 1 - a\n# iointercept-vm: done\n')
        self.assertEqual(rc, 1)
        self.assertIn('reported twice', out)

    def test_kunit_required_but_absent(self):
        rc, out = judge('1..1\nok 1 - a\n# iointercept-vm: done\n',
                        kunit='required')
        self.assertEqual(rc, 1)
        self.assertIn('no KUnit test case ran', out)

    def test_kunit_counted(self):
        rc, out = judge(KUNIT_OK + '1..1\nok 1 - a\n# iointercept-vm: done\n',
                        kunit='required')
        self.assertEqual(rc, 0, out)
        self.assertIn('ok - kunit s.c1', out)
        self.assertIn('vm: 2 passed, 0 failed', out)

    def test_kunit_skip_is_a_failure(self):
        text = KUNIT_OK.replace('ok 1 - c1', 'ok 1 - c1 # SKIP no hw')
        rc, out = judge(text + '1..1\nok 1 - a\n# iointercept-vm: done\n',
                        kunit='required')
        self.assertEqual(rc, 1)

    def test_kunit_failed_suite(self):
        text = KUNIT_OK.replace('ok 1 - c1', 'not ok 1 - c1').replace(
            '# kunit: ok 1 - s', '# kunit: not ok 1 - s')
        rc, out = judge(text + '1..1\nok 1 - a\n# iointercept-vm: done\n',
                        kunit='required')
        self.assertEqual(rc, 1)
        self.assertIn('not ok - kunit s.c1', out)

    def test_kunit_cut_short(self):
        text = KUNIT_OK.split('# kunit-end')[0]
        rc, out = judge('1..1\nok 1 - a\n' + text, kunit='required')
        self.assertEqual(rc, 1)


    # --crash: a boot that ends in a deliberate crash (tests/vm/crash).
    CRASH = ('TAP version 13\n1..3\nok 1 - a\n'
             '# iointercept-vm: crash expected in test 2 - w\n'
             '# iointercept-vm: crashing\n')

    def crash(self, text, console=None, extra=()):
        args = ['--crash', *extra]
        if console is not None:
            with tempfile.NamedTemporaryFile('w', delete=False) as f:
                f.write(console)
            args += ['--console', f.name]
        try:
            return judge(text, extra=args)
        finally:
            if console is not None:
                os.unlink(f.name)

    def test_crash_green(self):
        rc, out = self.crash(self.CRASH, extra=('--plan', '3'))
        self.assertEqual(rc, 0, out)
        self.assertIn('ok 2 - w # crashed as planned', out)
        self.assertIn('vm: 2 passed, 0 failed', out)

    def test_crash_without_crashing_line(self):
        # What a panic inside the case looks like on the results port.
        rc, out = self.crash(self.CRASH.replace(
            '# iointercept-vm: crashing\n', ''))
        self.assertEqual(rc, 1)
        self.assertIn('never said it was crashing', out)

    def test_crash_line_before_announcement(self):
        rc, out = self.crash('1..3\nok 1 - a\n# iointercept-vm: crashing\n')
        self.assertEqual(rc, 1)
        self.assertIn('no crash was announced', out)

    def test_crash_but_done(self):
        # The case returned: init reports it and goes on to the end.
        text = ('1..2\n# iointercept-vm: crash expected in test 1 - w\n'
                'not ok 1 - w (exit 0: returned instead of crashing)\n'
                'ok 2 - kernel log clean\n# iointercept-vm: done\n')
        rc, out = self.crash(text)
        self.assertEqual(rc, 1)
        self.assertIn("after the crash point: '# iointercept-vm: done'", out)
        rc, out = self.crash('1..1\nok 1 - a\n# iointercept-vm: done\n')
        self.assertEqual(rc, 1)
        self.assertIn('the guest said it was done', out)

    def test_crash_nothing_after(self):
        rc, out = self.crash(self.CRASH + 'ok 2 - w\n')
        self.assertEqual(rc, 1)
        self.assertIn("after the crash point: 'ok 2 - w'", out)
        rc, out = self.crash(self.CRASH + '# iointercept-vm: crashing\n')
        self.assertEqual(rc, 1)

    def test_crash_earlier_case_failed(self):
        rc, out = self.crash(self.CRASH.replace('ok 1 - a', 'not ok 1 - a'))
        self.assertEqual(rc, 1)
        self.assertIn('vm: 1 passed, 1 failed', out)

    def test_crash_earlier_case_missing(self):
        rc, out = self.crash(self.CRASH.replace('ok 1 - a\n', ''))
        self.assertEqual(rc, 1)
        self.assertIn('planned 3 tests, 0 reported', out)

    def test_crash_not_in_last_case(self):
        rc, out = self.crash(self.CRASH.replace('1..3', '1..4'))
        self.assertEqual(rc, 1)
        self.assertIn('not in the last case', out)

    def test_crash_qemu_killed(self):
        rc, out = self.crash(self.CRASH, extra=('--qemu-status', '124'))
        self.assertEqual(rc, 1)

    def test_crash_unexpected(self):
        rc, out = judge(self.CRASH + 'ok 2 - w\nok 3 - k\n'
                        '# iointercept-vm: done\n')
        self.assertEqual(rc, 1)
        self.assertIn('a crash announced in a run that expects none', out)

    def test_crash_console(self):
        clean = ('[ 0.1] boot WARNING: before the tests is not judged\n'
                 '[ 1.0] iointercept-vm: tests begin\n'
                 '[ 2.0] sysrq: Resetting\n')
        rc, out = self.crash(self.CRASH, console=clean)
        self.assertEqual(rc, 0, out)
        rc, out = self.crash(self.CRASH, console=clean.replace(
            'sysrq', 'BUG: unable to handle page fault\n[ 2.1] sysrq'))
        self.assertEqual(rc, 1)
        self.assertIn('console: [ 2.0] BUG: unable to handle', out)
        rc, out = self.crash(self.CRASH, console='no marker\n')
        self.assertEqual(rc, 1)
        self.assertIn('lacks the tests-begin marker', out)

if __name__ == '__main__':
    unittest.main()
