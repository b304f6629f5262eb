"""Solve an LP/MIP file with HiGHS (highspy) to a relative gap, within a time limit.
usage: python3 highs_solve.py MODEL.lp GAP SECONDS
prints: JSON {status, objective, bound, seconds} (seconds: HiGHS's own run time, file reading included)"""
import json, sys, time
import highspy

path, gap, limit = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
t0 = time.perf_counter()
h = highspy.Highs()
h.setOptionValue("output_flag", False)
h.setOptionValue("mip_rel_gap", gap)
h.setOptionValue("time_limit", limit)
h.setOptionValue("threads", 1)
h.readModel(path)
h.run()
info = h.getInfo()
status = h.modelStatusToString(h.getModelStatus())
print(json.dumps({"status": status, "objective": info.objective_function_value if info.primal_solution_status else None,
                  "bound": info.mip_dual_bound, "seconds": time.perf_counter() - t0}))
