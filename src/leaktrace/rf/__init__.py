"""Radio sweeps: find the transmitters in software-defined-radio recordings of a room.

recording.py  read SigMF recordings (memory-mapped, in chunks) and rtl_power CSV sweeps
spectrum.py   power spectra over time at several integration lengths, tracked noise floor
cfar.py       cell-averaging and ordered-statistic CFAR thresholds for a target false-alarm rate
emitters.py   detections grouped into emitters with their statistics
bands.py      which service a frequency probably belongs to
allowlist.py  the authorized transmitters (TOML) and their schedules
sweep.py      one recording in, emitters out; emitters to findings
plot.py       spectrogram PNG with the emitters marked
synth.py      synthetic recordings with known emitters, for tests and benchmarks
"""

DEFAULT_PFA = 1e-7  # false-alarm probability per spectrogram cell (see cfar.py)
